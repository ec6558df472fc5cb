#!/usr/bin/env bash
# ptdump on the AArch64 reference kernel beyond the decoder: the fault log, fault
# loops and the region-aware checks (shared/BUGS.md 2 and 3), the high-half boot
# (BUGS.md 4: symbols through the identity map, pc-unmapped, its triage), address
# spaces by name, tables in a hole, the CPU's own faults against walk, the gdb
# commands, and a guest that exports no region.
# Oracles nobody here wrote: what the kernel printed on the serial line and the
# CPU wrote into ESR/FAR/ELR (the fault log, the gdbstub's registers), QEMU's
# translation (monitor gva2gpa), QEMU's memory map (info mtree -f) and physical
# reads (xp), gdb-multiarch's own disassembler, and the ELF's symbols (nm, objdump).
. "$(dirname "$0")/../lib.sh"

A64_KERNEL=$BUILD/kernel-aarch64.elf
A64=(--arch aarch64)
PT=$BUILD/ptdump
GDB=gdb-multiarch

if [ ! -f "$A64_KERNEL" ] || [ ! -x "$PT" ] || ! command -v qemu-system-aarch64 >/dev/null ||
	! command -v "$GDB" >/dev/null; then
	not_ok "AArch64 kernel, ptdump, qemu-system-aarch64 and gdb-multiarch present" "run scripts/deps.sh and make"
	exit 0
fi
pt() { "$PT" -t "$VM_TARGET" -k "$A64_KERNEL" --stay-stopped "$@"; }
check_out() { printf '%s\n' "$3" >"$TMP/out.txt"; check_grep "$1" "$2" "$TMP/out.txt"; }
sym() { aarch64-linux-gnu-nm "$A64_KERNEL" | awk -v s="$1" '$3==s{print "0x"$1}'; }
kinds_of() { jq -r '.[].kind' "$1" 2>/dev/null | sort -u | tr '\n' ' '; }
# gva2gpa VA: QEMU's translation of VA, "unmapped" if it has none.
gva2gpa() {
	local out
	out=$("$PT" -t "$VM_TARGET" --stay-stopped monitor gva2gpa "$1" 2>&1 | tr -d '\r')
	case "$out" in
	gpa:*) printf '0x%x\n' "$(sed -n 's/^gpa: //p' <<<"$out")" ;;
	*Unmapped*) echo unmapped ;;
	*) echo "error: $out" ;;
	esac
}
# in_gdb CMD...: the output of `pt CMD` for each CMD inside gdb-multiarch, one after
# the other, between markers (the VM is stopped by gdb and left stopped).
in_gdb() {
	local args=()
	for c in "$@"; do args+=(-ex "echo @@begin\n" -ex "pt $c" -ex "echo @@end\n"); done
	timeout 60 "$GDB" -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -x "$TOP/gdb-scripts/ptdbg.gdb" \
		"${args[@]}" -ex detach "$A64_KERNEL" 2>&1
}

# --- wronly bug=wronly-loop: the fault loop, decoded ---
if vm_start a64x-wronly "${A64[@]}" --scenario wronly --bug wronly-loop; then
	line=$(grep -m1 'ptdbg: wronly: fault loop:' "$VM_LOG")
	far=$(sed -n 's/.* faults at \(0x[0-9a-f]*\) pc.*/\1/p' <<<"$line")
	pc=$(sed -n 's/.* pc \(0x[0-9a-f]*\) ESR.*/\1/p' <<<"$line")
	esr=$(sed -n 's/.* ESR \(0x[0-9a-f]*\),.*/\1/p' <<<"$line")
	pt faults --loops >"$TMP/faults.txt" 2>&1
	check_eq "wronly: faults shows FAR, PC and ESR as the kernel printed them (the CPU's registers)" \
		"$(printf '0x%016x 0x%016x %s' "$far" "$pc" "$esr")" \
		"$(awk '$1=="far"{f=$2} $1=="pc"{p=$2} $1=="esr"{e=$2} END{sub(":","",e); print f, p, e}' "$TMP/faults.txt")"
	check_grep "wronly: faults marks the loop and says the write would fault again" \
		'the same write would FAULT again now \(translation fault at level 3\)' "$TMP/faults.txt"
	check_grep "wronly: faults names the syndrome" \
		'^  esr .*data abort from a lower EL: translation fault at level 3, write' "$TMP/faults.txt"
	# the instruction: Capstone ARM64 through the logged TTBR0 = gdb's disassembler
	# through QEMU's translation (the VM is stopped in the loop, TTBR0 is wronly's)
	want=$(timeout 30 "$GDB" -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -ex "x/i $pc" -ex detach 2>&1 |
		tr -d '\r' | sed -n 's/^ *\(=> \)\{0,1\}0x[0-9a-f]*:[[:space:]]*//p' | head -1 | tr -s ' \t' ' ')
	got=$(sed -n 's/^  insn *\(.*\)  (.*/\1/p' "$TMP/faults.txt" | tr -s ' \t' ' ')
	[ -n "$want" ] || want="(gdb-multiarch gave nothing)"
	check_eq "wronly: the faulting instruction (Capstone ARM64) = gdb-multiarch's x/i at PC: $want" "$want" "$got"
	check_grep "wronly: the instruction writes memory" 'insn .*\(writes memory' "$TMP/faults.txt"
	check_eq "wronly: QEMU cannot translate FAR either (gva2gpa)" unmapped "$(gva2gpa "$far")"
	pt check -j --kind fault-loop,sw-present-hw-absent >"$TMP/loop.json"
	check_eq "wronly: check reports fault-loop and sw-present-hw-absent" "fault-loop sw-present-hw-absent " \
		"$(kinds_of "$TMP/loop.json")"
	check_grep "wronly: the finding explains the invalid descriptor the kernel calls mapped" \
		'writes memory; ESR .*bit 0 clear: the CPU faults; the kernel reads AP\[2\]=0 and bit 55 as a mapped, writable page' \
		<(jq -r '.[] | select(.kind == "fault-loop") | .message' "$TMP/loop.json")
	check_eq "wronly: the finding names space, marker, frame and node" "wronly user yes yes" \
		"$(jq -r '[.[] | select(.kind == "fault-loop")][0] | "\(.space) \(.marker) \(.frame != null | if . then "yes" else "no" end) \(.node != null | if . then "yes" else "no" end)"' "$TMP/loop.json")"
	# the gdb commands: byte for byte the command line's
	pt check >"$TMP/c1.txt" 2>&1; pt faults >"$TMP/c2.txt" 2>&1; pt dump --all >"$TMP/c3.txt" 2>&1
	pt x "$pc" 4 >"$TMP/c4.txt" 2>&1
	in_gdb check faults "dump --all" "x $pc 4" >"$TMP/gdb.txt"
	for i in 1 2 3 4; do
		awk -v n="$i" '/^@@begin$/{k++; on=(k==n); next} /^@@end$/{on=0} on' "$TMP/gdb.txt" >"$TMP/g$i.txt"
	done
	grep -q '^@@begin$' "$TMP/gdb.txt" || diag "the gdb-multiarch session printed:" "$(head -20 "$TMP/gdb.txt")"
	check_same "wronly: pt check inside gdb-multiarch = ptdump check" "$TMP/g1.txt" "$TMP/c1.txt"
	check_same "wronly: pt faults inside gdb-multiarch = ptdump faults" "$TMP/g2.txt" "$TMP/c2.txt"
	check_same "wronly: pt dump --all inside gdb-multiarch = ptdump dump --all" "$TMP/g3.txt" "$TMP/c3.txt"
	check_same "wronly: pt x PC 4 inside gdb-multiarch = ptdump x PC 4" "$TMP/g4.txt" "$TMP/c4.txt"
	# one stop (gdb resumed the VM when it detached): a core file (no system
	# registers: the region's), the fast path and the gdbstub see the same
	pt --no-fast-path faults --loops >"$TMP/stubfaults.txt" 2>&1
	pt --no-fast-path dump --all >"$TMP/stub.txt"
	pt dump --all >"$TMP/fast.txt"
	pt --no-fast-path dump --as wronly >"$TMP/stubw.txt"
	pt monitor dump-guest-memory "$TMP/w.core" >/dev/null
	"$PT" --core "$TMP/w.core" -k "$A64_KERNEL" dump --as wronly >"$TMP/core.txt" 2>&1
	"$PT" --core "$TMP/w.core" -k "$A64_KERNEL" faults --loops >"$TMP/corefaults.txt" 2>&1
	check_same "wronly: dump --as wronly of a core file = through the gdbstub" \
		"$TMP/stubw.txt" "$TMP/core.txt"
	check_same "wronly: dump --all through the fast path = through the gdbstub" \
		"$TMP/fast.txt" "$TMP/stub.txt"
	check_same "wronly: faults --loops of the core file = through the gdbstub" \
		"$TMP/stubfaults.txt" "$TMP/corefaults.txt"
	rm -f "$TMP/w.core"
else
	not_ok "wronly bug=wronly-loop boots to ready" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64x-wronly
if vm_start a64x-wronly-ok "${A64[@]}" --scenario wronly; then
	check_out "wronly (fixed): faults reports no loop" '^0 fault loops$' "$(pt faults 2>&1)"
	check_status "wronly (fixed): check finds nothing" 0 pt check
else
	not_ok "wronly boots to ready" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64x-wronly-ok

# --- untracked-pt: the region-aware kinds on AArch64 walks ---
if vm_start a64x-untracked "${A64[@]}" --scenario untracked-pt --bug untracked-as-tracked; then
	pt check -j >"$TMP/unt.json"
	got=$(kinds_of "$TMP/unt.json")
	check_out "untracked-pt bug: node-tracking-mismatch in the untracked window (kernel's TTBR1)" \
		'node-tracking-mismatch' "$got"
	check_eq "untracked-pt bug: the mismatched nodes are in the untracked-window marker, TTBR1" \
		"kernel (TTBR1) untracked-window" \
		"$(jq -r '[.[] | select(.kind == "node-tracking-mismatch")][0] | "\(.space) \(.marker)"' "$TMP/unt.json")"
	check_out "untracked-pt bug: frames still mapped went back to the allocator" 'freed-frame-mapped' "$got"
else
	not_ok "untracked-pt bug=untracked-as-tracked boots" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64x-untracked
if vm_start a64x-untracked-ok "${A64[@]}" --scenario untracked-pt; then
	check_status "untracked-pt (fixed): check finds nothing, region kinds included" 0 pt check
else
	not_ok "untracked-pt boots" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64x-untracked-ok

# --- spaces by name, tables in a hole, the CPU's faults against walk (attack) ---
if vm_start a64x-attack "${A64[@]}" --scenario attack; then
	pt -j region >"$TMP/region.json"
	kroot=$(jq -r '.spaces[] | select(.kind == "kernel") | .root' "$TMP/region.json" | head -1)
	ttbr1=$(pt -j regs | jq -r '.ttbr1_el1')
	root=$(pt -j dump --as kernel | jq -r '.root')
	check_eq "attack: dump --as kernel walks the TTBR1 root the region names = TTBR1_EL1 (gdbstub)" \
		"$((kroot)) $((kroot))" "$((root)) $((ttbr1 & 0xfffffffffffe))"
	pt dump --as kernel >"$TMP/ask.txt"; pt dump --ttbr1 >"$TMP/t1.txt"
	check_eq "attack: dump --as kernel has the ranges of dump --ttbr1 (the same tables)" \
		"$(grep -c '^0x' "$TMP/t1.txt")" "$(grep -c '^0x' "$TMP/ask.txt")"
	check_grep "attack: dump --all labels each space" '^---\[ kernel \(TTBR1\) \]---' <(pt dump --all)
	check_status "attack: --as an unknown name exits 2" 2 pt dump --as nosuch
	# a TTBR0 root in a hole past the end of RAM: QEMU's map has no RAM there, its
	# monitor cannot read it, but the gdbstub's physical reads give zeros
	hole=0x60000000
	inram=no
	while read -r lo hi; do
		[ $((lo)) -le $((hole)) ] && [ $((hole)) -le $((hi)) ] && inram=yes
	done < <(pt monitor 'info mtree -f' | tr -d '\r' | sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) (prio [0-9]*, ram).*/0x\1 0x\2/p')
	xp=$(pt monitor "xp /2gx $hole" | tr -d '\r')
	raw=$(timeout 30 "$GDB" -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -ex 'maint packet Qqemu.PhyMemMode:1' \
		-ex "x/2gx $hole" -ex 'maint packet Qqemu.PhyMemMode:0' -ex detach 2>&1 | tr -d '\r' |
		sed -n 's/^0x0*60000000:[[:space:]]*//p' | tr -s ' \t' ' ')
	check_eq "attack: no RAM at $hole (info mtree -f), xp cannot read it, the gdbstub reads zeros" \
		"no yes 0x0000000000000000 0x0000000000000000" "$inram $(grep -q 'Cannot access' <<<"$xp" && echo yes || echo no) $raw"
	check_out "attack: walk --cr3 HOLE says the table is not RAM instead of decoding zeros" \
		'the table at 0x0000000060000000 is not RAM \(the device tree has no memory there\)' \
		"$(pt walk --cr3 $hole 0x1000)"
	check_out "attack: check --cr3 HOLE: table-outside-ram, not RAM" 'table-outside-ram .*is not RAM' \
		"$(pt check --cr3 $hole)"
	# every fault the CPU raised for an attempt (its ESR, logged): walk says the same
	pt -j faults --all >"$TMP/af.json"
	bad=() n=0
	while read -r far esr; do
		n=$((n + 1))
		ec=$((esr >> 26)); opts=(--user)
		[ $ec = $((0x20)) ] && opts+=(--exec)
		[ $ec = $((0x24)) ] && [ $(((esr >> 6) & 1)) = 1 ] && opts+=(--write)
		w=$(pt -j walk "$far" "${opts[@]}" | jq -r '.translation.esr')
		[ "$((w))" = "$((esr))" ] || bad+=("FAR $far ${opts[*]}: CPU ESR $esr, walk $w")
	done < <(jq -r '.faults[] | select(.outcome == "killed") | "\(.cr2) \(.error_code)"' "$TMP/af.json")
	if [ "$n" -ge 9 ] && [ "${#bad[@]}" = 0 ]; then
		ok "attack: walk --user [--write|--exec] gives the ESR the CPU wrote for each of its $n faults"
	else
		not_ok "attack: walk gives the CPU's ESR for each attempt ($n faults)" "${bad[@]}"
	fi
	# plant a W+X alias: the linear map's read-only alias of _start made writable, by a
	# physical write through gdb; the kernel text is then writable at one address and
	# executable at another
	start=$(sym _start)
	lin=$(printf '0x%x' $((0xfffffff800000000 + $(sym _start_phys))))
	step=$(pt -j walk "$lin" | jq -r '.translation.steps[-1] | "\(.entry_pa) \(.entry)"')
	read -r epa ent <<<"$step"
	if [ -n "$epa" ] && [ "$epa" != null ]; then
		timeout 30 "$GDB" -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -ex 'maint packet Qqemu.PhyMemMode:1' \
			-ex "set {unsigned long long}$epa = $(printf '0x%x' $((ent & ~0x80)))" \
			-ex 'maint packet Qqemu.PhyMemMode:0' -ex detach >/dev/null 2>&1
		pt -j check --kind alias-wx >"$TMP/awx.json"
		check_eq "planted: check finds the kernel text EL1-executable at _start and EL1-writable in the linear map" \
			"alias-wx $(printf '0x%016x' "$start") $(printf '%#x' "$lin")" \
			"$(jq -r '.[0] | "\(.kind) \(.addr) \(.message)"' "$TMP/awx.json" | awk '{for (i = 1; i <= NF; i++) if ($i == "at") w = $(i + 1); print $1, $2, w}')"
	else
		not_ok "planted: walk -j of the linear alias of _start gives its descriptor" "$step"
	fi
else
	not_ok "attack boots" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64x-attack

# --- hihalf: the PC through the identity map, named; the fault without it ---
start=$(sym _start) start_phys=$(sym _start_phys)
brk=$(aarch64-linux-gnu-objdump -d "$A64_KERNEL" --start-address="$start" --stop-address="$(sym high_entry)" |
	awk '/\tbr\tx2/{sub(":", "", $1); print "0x"$1}')
brk_pa=$(printf '0x%x' $((brk - start + start_phys)))
off=$(printf '0x%x' $((brk - start)))
vm_start a64x-hihalf "${A64[@]}" --scenario hihalf --stopped
out=$(timeout 60 "$GDB" -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -x "$TOP/gdb-scripts/ptdbg.gdb" \
	-ex "hbreak *$brk_pa" -ex c -ex "info symbol \$pc" -ex "pt regs" -ex "pt walk \$pc --exec" \
	-ex "monitor gva2gpa $brk_pa" "$A64_KERNEL" 2>&1 | tr -d '\r')
check_out "hihalf: at the fetch after SCTLR_EL1.M gdb knows no symbol for the PC (the seed's confusion)" \
	'^No symbol matches \$pc' "$out"
check_out "hihalf: pt regs names the PC by the high-half symbol of its frame (nm: _start+$off)" \
	"^PC +0x0*${brk_pa#0x} = _start\+$off through the identity map" "$out"
check_out "hihalf: pt walk \$pc --exec: the identity block lets EL1 fetch it" 'access allowed' "$out"
check_out "hihalf: QEMU translates the PC to itself (gva2gpa)" "^gpa: 0x0*${brk_pa#0x}" "$out"
vm_stop a64x-hihalf
vm_start a64x-noid "${A64[@]}" --scenario hihalf --bug no-identity-map
if [ "$VM_STATUS" = 3 ]; then
	regs=$(pt -j regs)
	elr=$(jq -r '.elr_el1' <<<"$regs") esr=$(jq -r '.esr_el1' <<<"$regs")
	check_eq "no-identity-map: walk ELR --exec gives the ESR_EL1 the CPU wrote" "$((esr))" \
		"$(( $(pt -j walk "$elr" --exec | jq -r '.translation.esr') ))"
	check_out "no-identity-map: regs names ELR as the physical address of _start+..., unmapped" \
		'^ELR_EL1 +0x[0-9a-f]+ = the physical address of _start\+0x[0-9a-f]+, which TTBR0 does not map' "$(pt regs)"
else
	not_ok "hihalf bug=no-identity-map: vm start exits 3" "status $VM_STATUS"
fi
vm_stop a64x-noid
out=$(ARCH=aarch64 "$TOP/gdb-scripts/triage" hihalf no-identity-map 2>&1); rc=$?
check_eq "triage hihalf bug=no-identity-map: exit 1 (bug found)" 1 "$rc"
check_out "triage hihalf bug=no-identity-map: names the cause" \
	'^VERDICT: BUG FOUND: the fetch after SCTLR_EL1.M=1 runs from a physical address TTBR0 does not map \(no identity mapping\)' "$out"
check_out "triage hihalf bug=no-identity-map: the finding says TTBR0 maps nothing at the code's physical address" \
	'code that set SCTLR_EL1.M running from its physical address fetches through TTBR0, which maps nothing there' "$out"
out=$(ARCH=aarch64 "$TOP/gdb-scripts/triage" hihalf 2>&1); rc=$?
check_eq "triage hihalf (fixed): exit 0" 0 "$rc"
check_out "triage hihalf (fixed): VERDICT: NOTHING WRONG" '^VERDICT: NOTHING WRONG' "$out"

# --- save --as, one kernel step, diff: exactly the pages the kernel says it changed ---
if vm_start a64x-step "${A64[@]}"; then
	pt save --as alpha "$TMP/alpha.snap" >/dev/null
	timeout 30 "$GDB" -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -ex 'set var ptdbg_step_request = 1' \
		-ex detach "$A64_KERNEL" >/dev/null 2>&1
	for _ in $(seq 50); do grep -q '^ptdbg: step 1 done' "$VM_LOG" && break; sleep 0.1; done
	pt diff --as alpha "$TMP/alpha.snap" -j >"$TMP/step.json"; rc=$?
	check_eq "step: diff --as alpha after the kernel's step exits 1" 1 "$rc"
	jq -r '.[] | .changes[]? | "\(.change) \(.start) \(.end)"' "$TMP/step.json" >"$TMP/step.diff"
	# the kernel's account, a range a line: "protected A-B ... (N pages, P present)",
	# "mapped A-B ... (N pages, P present)", "unmapped A-B (was ..., N pages)"
	bad=() total=0 inside=0
	while read -r what a b present; do
		case $what in mapped) k=added ;; protected) k=changed ;; unmapped) k=removed ;; esac
		n=0
		while read -r kind lo hi; do
			[ "$kind" = "$k" ] && [ $((lo)) -ge $((a)) ] && [ $((hi)) -le $((b)) ] && n=$((n + (hi - lo) / 4096))
		done <"$TMP/step.diff"
		inside=$((inside + n))
		if [ -n "$present" ]; then
			[ "$n" = "$present" ] || bad+=("$what $a-$b: the kernel says $present present pages, diff $n")
		else
			[ "$n" -ge 1 ] || bad+=("$what $a-$b: diff shows no removed page")
		fi
	done < <(sed -n 's/^ptdbg: step 1: alpha: \(mapped\|protected\|unmapped\) \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)[^(]*(\([^)]*\)).*/\1 \2 \3 \4/p' "$VM_LOG" |
		sed 's/ [0-9]* pages, \([0-9]*\) present$/ \1/; s/ was .*//')
	while read -r _ lo hi; do total=$((total + (hi - lo) / 4096)); done <"$TMP/step.diff"
	if [ "${#bad[@]}" = 0 ] && [ "$total" -gt 0 ] && [ "$total" = "$inside" ]; then
		ok "step: diff shows exactly the $total present pages the kernel's step changed, nothing else"
	else
		not_ok "step: diff shows exactly the pages the step changed ($inside of $total inside its ranges)" "${bad[@]}" \
			"$(grep '^ptdbg: step 1' "$VM_LOG")" "$(cat "$TMP/step.diff")"
	fi
else
	not_ok "default boots" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64x-step

# --- a guest without the debug region: registers and memory alone ---
if vm_start a64x-noregion "${A64[@]}" --append ptdbg=off; then
	pt -j dump >"$TMP/nr.json"
	bad=() n=0
	while read -r va pa; do
		n=$((n + 1))
		g=$(gva2gpa "$va")
		[ "$g" = "$(printf '0x%x' "$pa")" ] || bad+=("$va: dump $pa, gva2gpa $g")
	done < <(jq -r '.[] | .entries[] | select(.type == "range") | "\(.start) \(.pa)"' "$TMP/nr.json" | head -12)
	if [ "$n" -gt 4 ] && [ "${#bad[@]}" = 0 ]; then ok "no region: dump agrees with gva2gpa at $n range starts"
	else not_ok "no region: dump agrees with gva2gpa ($n)" "${bad[@]}"; fi
	check_status "no region: check finds nothing" 0 pt check
	check_out "no region: walk _start (symbols from the ELF)" 'access allowed' "$(pt walk _start --exec)"
	check_out "no region: regs decode TCR_EL1" '^TCR_EL1 ' "$(pt regs)"
	check_status "no region: faults needs the region: exit 2" 2 pt faults
	check_status "no region: --as needs the region: exit 2" 2 pt dump --as kernel
	check_out "no region: a table in a hole is still not RAM (the device tree)" 'is not RAM' \
		"$(pt walk --cr3 0x60000000 0x1000)"
	pt save "$TMP/nr.snap" >/dev/null
	check_status "no region: save then diff at once: nothing changed" 0 pt diff "$TMP/nr.snap"
else
	not_ok "ptdbg=off boots" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64x-noregion
