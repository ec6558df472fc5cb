#!/usr/bin/env bash
# ptdump on the AArch64 reference kernel, every granule and input size, both halves.
# Oracles nobody here wrote: QEMU's own ARM translation (monitor gva2gpa) for
# addresses sampled from every leaf kind of ptdump's dump, and for the holes between
# them; reads through the gdbstub in virtual mode (QEMU translates) against physical
# reads (xp) at ptdump's address; the CPU's own faults in the hihalf scenario.
. "$(dirname "$0")/../lib.sh"

A64_KERNEL=$BUILD/kernel-aarch64.elf
A64=(--arch aarch64)
PT=$BUILD/ptdump
GDB=gdb-multiarch

if [ ! -f "$A64_KERNEL" ] || [ ! -x "$PT" ] || ! command -v qemu-system-aarch64 >/dev/null; then
	not_ok "AArch64 kernel, ptdump and qemu-system-aarch64 present" "run scripts/deps.sh and make"
	exit 0
fi
# check_out NAME REGEX TEXT: ok if a line of TEXT matches REGEX.
check_out() { printf '%s\n' "$3" >"$TMP/out.txt"; check_grep "$1" "$2" "$TMP/out.txt"; }
sym() { aarch64-linux-gnu-nm "$A64_KERNEL" | awk -v s="$1" '$3==s{print "0x"$1}'; }

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

# samples DUMP.json: "VA PA" for the first byte and the last page (+0x10) of the first
# range of every (half, page size, memory type) kind, and "VA unmapped" for a page
# just past a range that the next range does not start at.
samples() {
	python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
spaces = d if isinstance(d, list) else [d]
for sp in spaces:
    if not sp.get("enabled", True):
        continue
    half_end = int(sp["start"], 16) + (1 << sp["va_bits"])
    seen, holes = set(), 0
    ents = [e for e in sp["entries"] if e["type"] == "range"]
    for i, e in enumerate(ents):
        va, end, pa = int(e["start"], 16), int(e["end"], 16), int(e["pa"], 16)
        page = (end - va) // e["pages"]
        key = (e["page_size"], e.get("memtype"), "USR" in e["flags"])
        if key not in seen:
            seen.add(key)
            print("%#x %#x %s" % (va, pa, sp["half"]))
            last = va + (e["pages"] - 1) * page + 0x10
            print("%#x %#x %s" % (last, pa + (last - va), sp["half"]))
        nxt = int(ents[i + 1]["start"], 16) if i + 1 < len(ents) else half_end
        if end < nxt and end < half_end and holes < 4:
            holes += 1
            print("%#x unmapped %s" % (end, sp["half"]))
EOF
}

# pa_of_walk VA: "PA ok" or "PA denied" (a read at EL1 the permissions refuse, PSTATE.PAN
# among them), as `ptdump -j walk` gives it, or "unmapped".
pa_of_walk() {
	"$PT" -t "$VM_TARGET" --stay-stopped -j walk "$1" | python3 -c '
import json, sys
t = json.load(sys.stdin)["translation"]
if t["result"] == "ok":
    print("%#x ok" % int(t["pa"], 16))
elif t.get("page_size"):
    print("%#x denied" % int(t["pa"], 16))
else:
    print("unmapped")'
}

configs=("granule=4k va_bits=36" "granule=4k va_bits=39" "granule=4k va_bits=48"
	 "granule=16k va_bits=36" "granule=16k va_bits=48"
	 "granule=64k va_bits=36" "granule=64k va_bits=39" "granule=64k va_bits=48")
for g in "${configs[@]}"; do
	name=a64pt-${g//[^0-9a-z]/}
	if ! vm_start "$name" "${A64[@]}" --append "$g"; then
		not_ok "$g: default boots to ready" "$(tail -5 "$VM_LOG" 2>/dev/null)"
		vm_stop "$name"
		continue
	fi
	check "$g: ptdump regs says aarch64 (target description)" \
		bash -c "'$PT' -t '$VM_TARGET' -j regs | grep -q '\"arch\":\"aarch64\"'"
	gran=${g#granule=}; gran=${gran%% *}; vab=${g##*va_bits=}
	halves=$("$PT" -t "$VM_TARGET" -j regs | python3 -c '
import json, sys
r = json.load(sys.stdin)
print(" ".join("%s:%d:%d" % (h["name"], h["granule"] >> 10, h["va_bits"]) for h in r["halves"]))')
	check_eq "$g: both halves as TCR_EL1 says (ptdump regs)" \
		"ttbr0:${gran%k}:$vab ttbr1:${gran%k}:$vab" "$halves"
	# the VM stays stopped from the dump to the last translation: one state, as the
	# user processes switch TTBR0 when it runs
	if ! "$PT" -t "$VM_TARGET" --stay-stopped -j dump >"$TMP/dump.json" 2>"$TMP/dump.err"; then
		not_ok "$g: ptdump -j dump" "$(cat "$TMP/dump.err")"
		vm_stop "$name"
		continue
	fi
	samples "$TMP/dump.json" >"$TMP/samples"
	n=0 bad=() kinds=0 holes=0 h0=0 h1=0 denied=0
	while read -r va want half; do
		n=$((n + 1))
		[ "$want" = unmapped ] && holes=$((holes + 1))
		[ "$half" = ttbr0 ] && h0=$((h0 + 1))
		[ "$half" = ttbr1 ] && h1=$((h1 + 1))
		# QEMU translates for the CPU as it is (EL1, PAN as set): a read the walk
		# denies is one gva2gpa refuses too
		got=$(gva2gpa "$va")
		read -r walk how < <(pa_of_walk "$va")
		qemu=$walk
		[ "$how" = denied ] && { qemu=unmapped; denied=$((denied + 1)); }
		[ "$walk" = "$want" ] && [ "$got" = "$qemu" ] || bad+=("$va: dump $want, walk $walk ${how:-}, gva2gpa $got")
	done <"$TMP/samples"
	kinds=$(grep -vc unmapped "$TMP/samples")
	if [ "${#bad[@]}" -eq 0 ] && [ "$h0" -gt 0 ] && [ "$h1" -gt 0 ] && [ "$holes" -gt 0 ]; then
		ok "$g: dump and walk agree with gva2gpa at $n addresses ($((kinds / 2)) leaf kinds, $holes holes, $denied refused at EL1; TTBR0 $h0, TTBR1 $h1)"
	else
		not_ok "$g: dump and walk agree with gva2gpa at $n addresses (TTBR0 $h0, TTBR1 $h1, holes $holes)" "${bad[@]}"
	fi
	# reads in virtual mode (QEMU translates) = physical reads at ptdump's address, in
	# the kernel half (gdb resumes the VM when it detaches: TTBR0 may change between)
	if command -v "$GDB" >/dev/null; then
		rbad=()
		for va in $(grep -v unmapped "$TMP/samples" | awk '$3 == "ttbr1" {print $1}' | head -6); do
			read -r pa _ < <(pa_of_walk "$va")
			v=$(timeout 30 "$GDB" -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -ex "x/2gx $va" \
				-ex "monitor xp /2gx $pa" -ex detach 2>&1 | tr -d '\r')
			virt=$(grep -m1 -E '^0x[0-9a-f]+( <[^>]*>)?:' <<<"$v" | awk '{print $(NF-1), $NF}')
			phys=$(grep -m1 -E '^[0-9a-f]+: ' <<<"$v" | awk '{print $2, $3}')
			[ -n "$virt" ] && [ "$virt" = "$phys" ] || rbad+=("$va -> $pa: virtual '$virt', physical '$phys'")
		done
		if [ "${#rbad[@]}" -eq 0 ]; then ok "$g: gdbstub virtual reads = physical reads at ptdump's address"
		else not_ok "$g: gdbstub virtual reads = physical reads at ptdump's address" "${rbad[@]}"; fi
	fi
	check_status "$g: ptdump check finds nothing on the default scenario" 0 "$PT" -t "$VM_TARGET" check
	vm_stop "$name"
done

# --- permissions the CPU proves: the attack scenario's faults ---
if vm_start a64pt-attack "${A64[@]}" --scenario attack; then
	start=$(sym _start)
	out=$("$PT" -t "$VM_TARGET" walk "$start" --user --exec)
	check_out "attack: walk _start --user --exec: a permission fault, as the CPU gave EL0" \
		'stops at L3: permission fault at level 3; ESR_EL1 0x8[0-9a-f]*' "$out"
	out=$("$PT" -t "$VM_TARGET" walk "$start" --exec)
	check_out "attack: walk _start --exec: EL1 may run its own text" 'access allowed' "$out"
	out=$("$PT" -t "$VM_TARGET" walk "$start" --write)
	check_out "attack: walk _start --write: kernel text is read-only" 'permission fault at level 3' "$out"
	check_status "attack: ptdump check finds nothing" 0 "$PT" -t "$VM_TARGET" check
else
	not_ok "attack boots to ready" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64pt-attack

# --- hihalf bug=no-identity-map: the finding alone says what happened ---
vm_start a64pt-noid "${A64[@]}" --scenario hihalf --bug no-identity-map
if [ "$VM_STATUS" = 3 ]; then
	out=$("$PT" -t "$VM_TARGET" -k "$A64_KERNEL" check --kind pc-unmapped); rc=$?
	check_eq "no-identity-map: check --kind pc-unmapped exits 1" 1 "$rc"
	check_out "no-identity-map: ELR_EL1 cannot be fetched: translation fault at level 1 through TTBR0" \
		'pc-unmapped .*ELR_EL1 0x402[0-9a-f]* of the last exception \(instruction abort from the same EL\) cannot be fetched at EL1: translation fault at level 1 through TTBR0' "$out"
	check_out "no-identity-map: the finding names the high-half alias and the missing identity map" \
		'physical address of 0xfffffff0402[0-9a-f]* \(_start\+0x[0-9a-f]*\) in TTBR1: code that set SCTLR_EL1.M running from its physical address fetches through TTBR0, which maps nothing there \(no identity mapping\)' "$out"
	elr=$(sed -n 's/.*ELR_EL1 \(0x[0-9a-f]*\) of the last.*/\1/p' <<<"$out")
	check_eq "no-identity-map: QEMU cannot translate ELR_EL1 either (gva2gpa)" unmapped "$(gva2gpa "${elr:-0}")"
else
	not_ok "hihalf bug=no-identity-map: vm start exits 3 (panic, left running)" "status $VM_STATUS"
fi
vm_stop a64pt-noid
if vm_start a64pt-hihalf "${A64[@]}" --scenario hihalf; then
	check_status "hihalf (fixed): check --kind pc-unmapped finds nothing" 0 \
		"$PT" -t "$VM_TARGET" check --kind pc-unmapped
else
	not_ok "hihalf boots to ready"
fi
vm_stop a64pt-hihalf

# --- one default VM: backends agree, x agrees with objdump, save/step/diff ---
if vm_start a64pt-misc "${A64[@]}"; then
	K=(-k "$A64_KERNEL")
	"$PT" -t "$VM_TARGET" --stay-stopped "${K[@]}" dump --ttbr1 >"$TMP/fast.txt"
	"$PT" -t "$VM_TARGET" --stay-stopped --no-fast-path "${K[@]}" dump --ttbr1 >"$TMP/stub.txt"
	check_same "default: dump --ttbr1 through the fast path = through the gdbstub" "$TMP/stub.txt" "$TMP/fast.txt"
	"$PT" -t "$VM_TARGET" --stay-stopped monitor dump-guest-memory "$TMP/a64.core" >/dev/null
	"$PT" --core "$TMP/a64.core" "${K[@]}" dump --ttbr1 >"$TMP/core.txt" 2>"$TMP/core.err"
	check_same "default: dump --ttbr1 of a dump-guest-memory core file (registers from the region) = the gdbstub's" \
		"$TMP/stub.txt" "$TMP/core.txt"
	check_eq "default: ptdump region: the CPU block is AArch64's, TTBR1 as the gdbstub reads it" \
		"$("$PT" -t "$VM_TARGET" --stay-stopped -j regs | python3 -c 'import json,sys; print(json.load(sys.stdin)["ttbr1_el1"])')" \
		"$("$PT" -t "$VM_TARGET" --stay-stopped "${K[@]}" -j region | python3 -c 'import json,sys; c=json.load(sys.stdin)["cpu"]; print(c["ttbr1"] if c.get("arch") == "aarch64" else "not aarch64")')"
	check "default: the core file says AArch64 (EM_AARCH64) and its pc" \
		bash -c "'$PT' --core '$TMP/a64.core' -j regs | grep -q '\"arch\":\"aarch64\",\"pc\"'"
	rm -f "$TMP/a64.core"
	# x _start 16 = objdump's words
	start=$(sym _start)
	want=$(aarch64-linux-gnu-objdump -d --start-address="$start" --stop-address=$((start + 64)) "$A64_KERNEL" |
		awk '/^ *[0-9a-f]+:\t/{print $2}' | head -16 | tr '\n' ' ')
	got=$("$PT" -t "$VM_TARGET" --stay-stopped "${K[@]}" -j x _start 16 | python3 -c '
import json, sys
for i in json.load(sys.stdin)["instructions"]:
    b = i["bytes"].split()
    print("".join(reversed(b)), end=" ")')
	check_eq "default: x _start 16 (Capstone ARM64, through the tables) = objdump of the ELF" "$want" "$got"
	# without Capstone: x says so in one line and exits 2
	rc=0
	without_capstone "$PT" -t "$VM_TARGET" --stay-stopped "${K[@]}" x _start 4 >"$TMP/xnc.txt" 2>"$TMP/xnc.err" || rc=$?
	if [ "$rc" = 77 ]; then
		diag "cannot hide libcapstone here (not root?): its absence is not tested"
	else
		check_eq "default, no Capstone: x exits 2 with one line and nothing on stdout" "2 1 0" \
			"$rc $(wc -l <"$TMP/xnc.err") $(wc -c <"$TMP/xnc.txt")"
		check_grep "default, no Capstone: x says it cannot disassemble" \
			'^ptdump: capstone: cannot open the AArch64 disassembler' "$TMP/xnc.err"
	fi
	check_status "default: x of an unmapped address exits 2" 2 "$PT" -t "$VM_TARGET" --stay-stopped x 0x123456
	# the gdb commands under gdb-multiarch: the same output as the command line
	if command -v "$GDB" >/dev/null; then
		for c in "dump --ttbr1" "walk $start --exec" "regs"; do
			"$PT" -t "$VM_TARGET" --stay-stopped "${K[@]}" $c >"$TMP/cli.txt" 2>&1
			timeout 60 "$GDB" -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -x "$TOP/gdb-scripts/ptdbg.gdb" \
				-ex "echo @@begin\n" -ex "pt $c" -ex "echo @@end\n" -ex detach "$A64_KERNEL" 2>&1 |
				sed -n '/^@@begin$/,/^@@end$/p' | sed '1d;$d' >"$TMP/gdb.txt"
			check_same "default: pt $c inside gdb-multiarch = ptdump $c" "$TMP/cli.txt" "$TMP/gdb.txt"
		done
	fi
	# save, one kernel step, diff: the step's changes in TTBR0, nothing in TTBR1
	"$PT" -t "$VM_TARGET" --stay-stopped "${K[@]}" save "$TMP/a.snap" >/dev/null
	check_status "default: diff against the live VM at once: nothing changed" 0 \
		"$PT" -t "$VM_TARGET" "${K[@]}" --stay-stopped diff "$TMP/a.snap"
	"$PT" -t "$VM_TARGET" --stay-stopped "${K[@]}" -j dump --ttbr1 >"$TMP/k1.json"
	if command -v "$GDB" >/dev/null; then
		timeout 30 "$GDB" -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -ex 'set var ptdbg_step_request = 1' \
			-ex detach "$A64_KERNEL" >/dev/null 2>&1
		for _ in $(seq 50); do grep -q 'ptdbg: step 1 done' "$VM_LOG" && break; sleep 0.1; done
		"$PT" -t "$VM_TARGET" --stay-stopped "${K[@]}" -j dump --ttbr1 >"$TMP/k2.json"
		"$PT" -t "$VM_TARGET" --stay-stopped "${K[@]}" diff "$TMP/a.snap" >"$TMP/diff.txt"; rc=$?
		check_eq "default: diff after a kernel step exits 1 (changes)" 1 "$rc"
		check_same "default: the step left the TTBR1 half as it was (dump before = after)" \
			"$TMP/k1.json" "$TMP/k2.json"
		check_out "default: the diff reports changed user pages in TTBR0" '^[-+~] 0000000[0-9a-f]+-' "$(cat "$TMP/diff.txt")"
	fi
else
	not_ok "default boots to ready" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64pt-misc
