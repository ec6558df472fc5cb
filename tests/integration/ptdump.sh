#!/usr/bin/env bash
# ptdump against the reference kernel under QEMU.
# Oracles: QEMU's own `info mem` / `info tlb` (fetched through qRcmd in the same
# attach), QEMU's dump-guest-memory core file, and the walker's two paths (dump and
# walk) against each other on sampled addresses.
. "$(dirname "$0")/../lib.sh"

# qemu_compare NAME ARGS...: info-mem and info-tlb byte-identical to QEMU's, one attach.
# QEMU_FORMATS narrows the formats compared.
qemu_compare() {
	local name=$1; shift
	local f
	for f in ${QEMU_FORMATS:-info-mem info-tlb}; do
		printf 'dump --format=%s\necho @@@\nmonitor %s\n' "$f" "${f/-/ }" |
			"$PTDUMP" "$@" shell >"$TMP/cmp" 2>"$TMP/cmp.err"
		awk -v d="$TMP/$f" '/^@@@$/{n++; next} {print > (d "." (n+0))}' "$TMP/cmp"
		if [ ! -s "$TMP/$f.0" ]; then
			not_ok "$name: --format=$f prints something" "$(cat "$TMP/cmp.err")"
		elif cmp -s "$TMP/$f.0" "$TMP/$f.1"; then
			ok "$name: --format=$f is byte-identical to QEMU's ($(wc -l <"$TMP/$f.1") lines)"
		else
			not_ok "$name: --format=$f is byte-identical to QEMU's" "$(diff "$TMP/$f.0" "$TMP/$f.1" | head -20)"
		fi
		rm -f "$TMP/$f.0" "$TMP/$f.1"
	done
}

# walk_agrees NAME ARGS...: for sampled addresses of every range `dump -j` lists,
# `walk -j` gives the same physical address, page size and permissions.
walk_agrees() {
	local name=$1; shift
	"$PTDUMP" "$@" dump -j >"$TMP/dump.json" || { not_ok "$name: dump -j"; return; }
	local n bad=0 total=0 out
	n=$(jq '[.entries[] | select(.type=="range")] | length' "$TMP/dump.json")
	# Every range's first and last byte, for at most 40 ranges spread over the space.
	jq -r --argjson n "$n" '[.entries[] | select(.type=="range")] | to_entries[]
		| select(.key % ((($n / 40) | floor) + 1) == 0) | .value
		| "\(.start) \(.end) \(.pa) \(.page_size) \(.flags | map(select(. != "A" and . != "D")) | sort | join(","))"' \
		"$TMP/dump.json" >"$TMP/samples"
	while read -r start end pa psize flags; do
		local va
		for va in "$start" "$(printf '0x%x' $((end - 1)))"; do
			total=$((total + 1))
			local j got want
			j=$("$PTDUMP" "$@" walk "$va" -j) || { bad=$((bad + 1)); out+="walk $va failed"$'\n'; continue; }
			got=$(jq -r '.translation | "\(.pa) \(.page_size) \(.flags | map(select(. != "A" and . != "D")) | sort | join(","))"' <<<"$j")
			want="$(printf '0x%016x' $((pa + va - start))) $psize $flags"
			if [ "$got" != "$want" ]; then
				bad=$((bad + 1))
				out+="$va: walk says '$got', dump says '$want'"$'\n'
			fi
		done
	done <"$TMP/samples"
	if [ "$bad" = 0 ] && [ "$total" -gt 0 ]; then ok "$name: walk agrees with dump on $total sampled addresses"
	else not_ok "$name: walk agrees with dump on sampled addresses" "$out"; fi
}

# ---- default scenario, with the debug region ----
vm_start pt-default --mem 256M || { not_ok "default boots"; exit 0; }
K=(-t "$VM_TARGET" -k "$KERNEL")

qemu_compare "default" "${K[@]}"
walk_agrees "default" "${K[@]}"
check_status "default: check finds nothing" 0 "$PTDUMP" "${K[@]}" check
for as in $("$PTDUMP" "${K[@]}" region -j | jq -r '.spaces[] | select(.kind != "device") | .name'); do
	qemu_out=$("$PTDUMP" "${K[@]}" dump --as "$as" --format=info-tlb | wc -l)
	[ "$qemu_out" -gt 0 ] && ok "default: dump --as $as walks that space ($qemu_out leaves)" ||
		not_ok "default: dump --as $as walks that space"
done

# the text dump names markers and the address space, and its columns line up
"$PTDUMP" "${K[@]}" dump >"$TMP/dump.txt"
check_grep "dump: address-space header" '^---\[ [a-z]+ \]---$' "$TMP/dump.txt"
check_grep "dump: marker lines" '^---\[ kernel-image \]---$' "$TMP/dump.txt"
check_grep "dump: kernel text is read-only and executable" '^0xffffffff80100000-.* ro x ' "$TMP/dump.txt"
widths=$(grep '^0x' "$TMP/dump.txt" | awk '{print index($0, "pa 0x")}' | sort -u | wc -l)
check_eq "dump: the pa column lines up" 1 "$widths"

# filters
check "dump --user shows only the lower half" bash -c \
	"\"$PTDUMP\" ${K[*]} dump --user | grep '^0x' | grep -v '^0x0000' | (! grep .)"
check "dump --kernel shows only the upper half" bash -c \
	"\"$PTDUMP\" ${K[*]} dump --kernel | grep '^0x' | grep -v '^0xffff' | (! grep .)"
check "dump --flags w,x finds no W+X mapping" bash -c \
	"\"$PTDUMP\" ${K[*]} dump --all --flags w,x | grep '^0x' | (! grep .)"
n_range=$("$PTDUMP" "${K[@]}" dump --range kmain-kmain+1 | grep -c '^0x')
check_eq "dump --range with a symbol selects one range" 1 "$n_range"
check_status "dump --format=bogus is an error" 2 "$PTDUMP" "${K[@]}" dump --format=bogus
check_status "dump --format=info-mem refuses filters" 2 "$PTDUMP" "${K[@]}" dump --format=info-mem --user
check_status "dump --as no-such-space is an error" 2 "$PTDUMP" "${K[@]}" dump --as no-such-space

# walk: a mapped and an unmapped address
"$PTDUMP" "${K[@]}" walk kmain >"$TMP/walk.txt"
check_grep "walk kmain: four levels and a 4K page" '^  PTE ' "$TMP/walk.txt"
check_grep "walk kmain: access allowed" 'access allowed' "$TMP/walk.txt"
"$PTDUMP" "${K[@]}" walk 0x1000 >"$TMP/walk0.txt"
check_grep "walk 0x1000: stops, not present, with the #PF error code" 'not present' "$TMP/walk0.txt"
"$PTDUMP" "${K[@]}" walk kmain --write >"$TMP/walkw.txt"
check_grep "walk kmain --write: a protection fault" '(protection|not allowed|fault)' "$TMP/walkw.txt"
check_status "walk without an address is an error" 2 "$PTDUMP" "${K[@]}" walk

# x: disassembly through the page tables, with symbols
"$PTDUMP" "${K[@]}" x kmain 4 >"$TMP/x.txt"
check_eq "x kmain 4: four instructions" 4 "$(grep -c '^ffffffff' "$TMP/x.txt")"
check_grep "x kmain: symbolised" ' kmain ' "$TMP/x.txt"
# the same bytes as the ELF file (objdump is an oracle nobody here wrote)
first=$(objdump -d --start-address=0x$(nm "$KERNEL" | awk '$3=="kmain"{print $1}') "$KERNEL" 2>/dev/null |
	awk '/^ *ffffffff[0-9a-f]+:/{print $2; exit}')
check_eq "x kmain: first byte matches objdump of the ELF" "$first" "$(awk 'NR==1{print $3}' "$TMP/x.txt")"
# without Capstone: x says so in one line and exits 2, the rest works
rc=0
without_capstone "$PTDUMP" "${K[@]}" x kmain 4 >"$TMP/xnc.txt" 2>"$TMP/xnc.err" || rc=$?
if [ "$rc" = 77 ]; then
	diag "cannot hide libcapstone here (not root?): its absence is not tested"
else
	check_eq "no Capstone: x exits 2" 2 "$rc"
	check_grep "no Capstone: x says it cannot disassemble" '^ptdump: capstone: cannot open the x86-64 disassembler' "$TMP/xnc.err"
	check_eq "no Capstone: x prints one line and nothing on stdout" "1 0" \
		"$(wc -l <"$TMP/xnc.err") $(wc -c <"$TMP/xnc.txt")"
	check "no Capstone: dump still works" without_capstone "$PTDUMP" "${K[@]}" dump
fi

# fast path and gdbstub give the same dump; -v says which path served the reads
"$PTDUMP" "${K[@]}" -v dump >"$TMP/fast.txt" 2>"$TMP/fast.err"
"$PTDUMP" "${K[@]}" -v --no-fast-path dump >"$TMP/slow.txt" 2>"$TMP/slow.err"
check_grep "-v: the fast path served the reads" 'through fastpath' "$TMP/fast.err"
check_grep "-v --no-fast-path: the gdbstub served the reads" 'through gdbstub' "$TMP/slow.err"
check "fast path and gdbstub dumps are identical" cmp "$TMP/fast.txt" "$TMP/slow.txt"
# QEMU's pid out of sight (a pid namespace of our own): the fast path gives up after
# it has asked for QEMU's memory tree, and the gdbstub serves the same dump
if unshare -p -f --mount-proc true 2>/dev/null; then
	unshare -p -f --mount-proc "$PTDUMP" "${K[@]}" -v dump >"$TMP/nopid.txt" 2>"$TMP/nopid.err"
	check_grep "QEMU's pid not visible: no fast path, and -v says why" \
		'no fast path: QEMU does not run on this host' "$TMP/nopid.err"
	check "QEMU's pid not visible: the gdbstub's dump is the same" cmp "$TMP/nopid.txt" "$TMP/slow.txt"
else
	diag "cannot make a pid namespace here (not root?): the fast path's fallback is not tested"
fi

# core file from QEMU's dump-guest-memory gives the same dump
"$PTDUMP" "${K[@]}" monitor dump-guest-memory "$TMP/vm.core" >/dev/null 2>&1
if [ -s "$TMP/vm.core" ]; then
	"$PTDUMP" --core "$TMP/vm.core" -k "$KERNEL" dump >"$TMP/core.txt" 2>"$TMP/core.err"
	check "core file and gdbstub dumps are identical" cmp "$TMP/core.txt" "$TMP/slow.txt"
	"$PTDUMP" --core "$TMP/vm.core" dump --format=info-tlb >"$TMP/core.tlb"
	"$PTDUMP" "${K[@]}" dump --format=info-tlb >"$TMP/live.tlb"
	check "core file without -k: info-tlb identical to the live one" cmp "$TMP/core.tlb" "$TMP/live.tlb"
	check_status "core file: check finds nothing" 0 "$PTDUMP" --core "$TMP/vm.core" -k "$KERNEL" check
	rm -f "$TMP/vm.core"
else
	not_ok "monitor dump-guest-memory writes a core file"
fi

# the interactive shell, driven through a terminal: completion, continue/stop
if command -v tmux >/dev/null; then
	sock=$TMP/tmux.sock
	tmux -S "$sock" new-session -d -x 160 -y 50 "$PTDUMP -v ${K[*]} shell"
	sleep 1
	tmux -S "$sock" send-keys 'wa' Tab ' km' Tab Enter
	sleep 1
	tmux -S "$sock" send-keys 'dump' Enter 'dump' Enter
	sleep 2
	tmux -S "$sock" send-keys 'continue' Enter 'dump' Enter 'stop' Enter 'regs' Enter 'dump' Enter
	sleep 2
	tmux -S "$sock" capture-pane -p -S - >"$TMP/shell.txt"
	tmux -S "$sock" send-keys 'quit' Enter
	sleep 0.5
	tmux -S "$sock" kill-server 2>/dev/null
	check_grep "shell: tab completes the command and the symbol" '^ptdump> walk +kmain$' "$TMP/shell.txt"
	check_grep "shell: the walk ran" 'access allowed' "$TMP/shell.txt"
	check_grep "shell: a running VM is not read" "the VM is running: 'stop' it first" "$TMP/shell.txt"
	check_grep "shell: stop re-reads the registers" '^RIP ' "$TMP/shell.txt"
	# one attach, one page cache: -v counts each command's link reads
	reads=$(sed -n 's/^ptdump: dump: \([0-9]*\) link reads.*/\1/p' "$TMP/shell.txt" | tr '\n' ' ')
	read -r r1 r2 r3 _ <<<"$reads"
	check "shell -v: the first dump reads the tables (${r1:-none} link reads)" test "${r1:-0}" -gt 0
	check_eq "shell -v: a second dump while the VM stays stopped reads nothing" 0 "${r2:-none}"
	check "shell -v: after continue and stop the cache is dropped (${r3:-none} link reads)" test "${r3:-0}" -gt 0
	check "shell: the VM answers after the shell quit" "$PTDUMP" "${K[@]}" regs
else
	not_ok "tmux is installed (scripts/deps.sh)"
fi

# snapshots: save, diff against itself and the live VM (nothing changed), JSON shape
check "save writes a snapshot" "$PTDUMP" "${K[@]}" save --all "$TMP/a.snap"
check_status "diff of a snapshot with the idle live VM: no difference" 0 "$PTDUMP" "${K[@]}" diff "$TMP/a.snap"
check_status "diff A A: no difference" 0 "$PTDUMP" diff "$TMP/a.snap" "$TMP/a.snap"
head -c 100 "$TMP/a.snap" >"$TMP/trunc.snap"
out=$("$PTDUMP" diff "$TMP/trunc.snap" "$TMP/a.snap" 2>&1); rc=$?
check_eq "diff of a truncated snapshot: exit 2" 2 "$rc"
check_eq "diff of a truncated snapshot: says so" 1 "$(grep -c 'truncated' <<<"$out")"
# save, let the kernel take one step (it says what it changed), diff with the live VM:
# the difference is exactly, page for page, what the kernel says the step did.
"$PTDUMP" "${K[@]}" save --all "$TMP/before.snap" >/dev/null
gdb -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -ex 'set var ptdbg_step_request=1' -ex detach "$KERNEL" >/dev/null 2>&1
for _ in $(seq 100); do grep -q '^ptdbg: step 1 done' "$VM_LOG" && break; sleep 0.1; done
if grep -q '^ptdbg: step 1 done' "$VM_LOG"; then
	# the kernel's account: "mapped A-B", "protected A-B", "unmapped A-B" -> one line per page
	sed -n 's/^ptdbg: step 1: [a-z]*: \(mapped\|protected\|unmapped\) \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\).*/\1 \2 \3/p' "$VM_LOG" |
		while read -r what a b; do
			case $what in mapped) k=added ;; protected) k=changed ;; unmapped) k=removed ;; esac
			for ((va = a; va < b; va += 4096)); do printf '%s 0x%x\n' "$k" "$va"; done
		done | sort >"$TMP/step.kernel"
	"$PTDUMP" "${K[@]}" diff "$TMP/before.snap" -j >"$TMP/step.json"; rc=$?
	check_eq "diff after a step: exit 1 (differences)" 1 "$rc"
	jq -r '.[] | .changes[]? | "\(.change) \(.start) \(.end)"' "$TMP/step.json" |
		while read -r k a b; do
			for ((va = a; va < b; va += 4096)); do printf '%s 0x%x\n' "$k" "$va"; done
		done | sort >"$TMP/step.diff"
	if [ -s "$TMP/step.kernel" ] && cmp -s "$TMP/step.kernel" "$TMP/step.diff"; then
		ok "diff after a step shows exactly the $(wc -l <"$TMP/step.kernel") pages the step changed"
	else
		not_ok "diff after a step shows exactly the pages the step changed" \
			"$(diff "$TMP/step.kernel" "$TMP/step.diff" | head -20)"
	fi
	"$PTDUMP" "${K[@]}" diff "$TMP/before.snap" >"$TMP/step.txt"
	check_grep "diff text: added, changed and removed lines" '^~ .*RW' "$TMP/step.txt"
	check_status "after the step: check still finds nothing" 0 "$PTDUMP" "${K[@]}" check
else
	not_ok "the kernel takes step 1 when asked" "$(tail -5 "$VM_LOG")"
fi
vm_stop pt-default

# ---- the same guest without the debug region: registers and memory alone ----
if vm_start pt-noregion --mem 256M --append ptdbg=off; then
	K=(-t "$VM_TARGET")
	qemu_compare "no region" "${K[@]}"
	walk_agrees "no region" "${K[@]}"
	check_status "no region: check finds nothing" 0 "$PTDUMP" "${K[@]}" check
	"$PTDUMP" "${K[@]}" dump >"$TMP/nr.txt"
	check_grep "no region: the PAT is said to be assumed" 'reset' "$TMP/nr.txt"
else
	not_ok "ptdbg=off boots"
fi
vm_stop pt-noregion

# ---- 5-level paging ----
if vm_start pt-la57 --mem 256M --paging 5; then
	K=(-t "$VM_TARGET" -k "$KERNEL")
	# QEMU 7.2's `info mem` under LA57 (mem_info_la57) follows non-present PDPTEs and
	# PDEs instead of present ones; on a real table it walks for so long that QEMU stops
	# answering. Only `info tlb` can serve as the oracle in 5-level mode.
	QEMU_FORMATS=info-tlb qemu_compare "paging=5" "${K[@]}"
	walk_agrees "paging=5" "${K[@]}"
	check_status "paging=5: check finds nothing" 0 "$PTDUMP" "${K[@]}" check
else
	not_ok "paging=5 boots"
fi
vm_stop pt-la57

# ---- bench: a million 4 KiB pages ----
if vm_start pt-bench --scenario bench; then
	K=(-t "$VM_TARGET" -k "$KERNEL")
	qemu_compare "bench" "${K[@]}"
else
	not_ok "bench boots"
fi
vm_stop pt-bench

# ---- a gdbstub on a unix socket ----
if vm_start pt-unix --gdb "unix:$TMP/gdb.sock"; then
	"$PTDUMP" -t "unix:$TMP/gdb.sock" -k "$KERNEL" --no-fast-path dump >"$TMP/unix.txt" 2>&1
	check_grep "-t unix:PATH: the dump is read through a unix socket" '^# [0-9]+ leaves' "$TMP/unix.txt"
	QEMU_FORMATS=info-tlb qemu_compare "unix socket" -t "unix:$TMP/gdb.sock"
else
	not_ok "a VM with its gdbstub on a unix socket boots"
fi
vm_stop pt-unix

# ---- usage errors ----
check_status "unknown command: exit 2" 2 "$PTDUMP" frobnicate
check_status "ambiguous prefix: exit 2" 2 "$PTDUMP" -t 127.0.0.1:1 s
check_status "unknown option: exit 2" 2 "$PTDUMP" dump --bogus -t 127.0.0.1:1
check_status "missing option value: exit 2" 2 "$PTDUMP" dump -t
check_status "nobody listening: exit 2" 2 "$PTDUMP" -t 127.0.0.1:1 --timeout 1 dump
check "help works without a target" "$PTDUMP" --help
check "a command's help works without a target" "$PTDUMP" dump --help
