#!/usr/bin/env bash
# The gdb commands and the triage scripts (gdb-scripts/).
#   - `pt ...` and `iommu ...` inside gdb print what ptdump and iommudump print for the
#     same stopped VM, and end with the same exit status ($ptdbg_status).
#   - each triage script, run unattended, names the cause with its bug switched on and
#     reports nothing wrong on the fixed kernel; attached after the fact (VM already
#     ready or panicked) it does the same from what it finds.
. "$(dirname "$0")/../lib.sh"

export PTDBG_TOP=$TOP
GDB_LIB=$BUILD/libptdbg-gdb.so

have_scenario() { grep -rqs "\"$1\"" kernel/scenarios/; }
skip() { ok "$1 # SKIP $2"; }

# in_gdb FILE CMD...: run gdb commands against the VM, with the pt/iommu commands
# loaded; what CMD prints goes to FILE (gdb's pipe), then "status N".
in_gdb() {
	local file=$1; shift
	local args=() c
	for c in "$@"; do args+=(-ex "pipe $c | cat >> $file"); done
	: >"$file"
	timeout 60 gdb -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -x gdb-scripts/ptdbg.gdb "${args[@]}" \
		-ex "pipe printf \"status %d\\n\", \$ptdbg_status | cat >> $file" -ex detach "$KERNEL" \
		>"$TMP/gdb.log" 2>&1
}

# same TOOL WORDS: `pt WORDS` in gdb prints what `ptdump WORDS` prints (TOOL pt), or
# `iommu WORDS` what `iommudump WORDS` prints (TOOL iommu), errors included (gdb's pipe
# takes both of its output streams); same exit status.
same() {
	local tool=$1; shift
	local bin=$PTDUMP rc=0
	[ "$tool" = iommu ] && bin=$IOMMUDUMP
	"$bin" -t "$VM_TARGET" -k "$KERNEL" "$@" >"$TMP/cli.txt" 2>&1 || rc=$?
	echo "status $rc" >>"$TMP/cli.txt"
	in_gdb "$TMP/gdb.txt" "$tool $*"
	if cmp -s "$TMP/cli.txt" "$TMP/gdb.txt"; then
		ok "gdb '$tool $*' = $(basename "$bin") $* ($(($(wc -l <"$TMP/cli.txt") - 1)) lines, $(tail -1 "$TMP/cli.txt"))"
	else
		not_ok "gdb '$tool $*' = $(basename "$bin") $*" "$(diff "$TMP/cli.txt" "$TMP/gdb.txt" | head -20)" \
			"$(tail -5 "$TMP/gdb.log")"
	fi
}

# triage NAME SCENARIO BUG WANT_RE: gdb-scripts/triage boots SCENARIO (BUG) stopped and
# runs its script; the report's verdict line matches WANT_RE, the status is right.
triage() {
	local name=$1 sc=$2 bug=$3 want=$4 rc=0 wantrc=0
	[ -n "$bug" ] && wantrc=1
	timeout -k 5 200 "$TOP/gdb-scripts/triage" "$sc" "$bug" "" 150 >"$TMP/triage.txt" 2>&1 || rc=$?
	if [ "$rc" = "$wantrc" ] && grep -qE -- "$want" "$TMP/triage.txt"; then
		ok "$name: $(grep '^VERDICT' "$TMP/triage.txt")"
	else
		not_ok "$name: status $wantrc, verdict /$want/" "status $rc" "$(tail -30 "$TMP/triage.txt")"
	fi
}

# triage_attached NAME SCRIPT WANT_RE: the script run against the VM that vm_start left
# (already ready or panicked) reports WANT_RE.
triage_attached() {
	local name=$1 script=$2 want=$3
	PTDBG_TARGET=$VM_TARGET timeout 120 gdb -nx -batch -x "gdb-scripts/triage-$script.gdb" "$KERNEL" \
		>"$TMP/triage.txt" 2>&1
	check_grep "$name" "$want" "$TMP/triage.txt"
	check_grep "$name: says it attached after the fact" '^stopped: the state the kernel was already in when gdb attached' \
		"$TMP/triage.txt"
}

check "build/libptdbg-gdb.so exports only the gdb entry points" bash -c \
	"[ \"\$(nm -D --defined-only '$GDB_LIB' | awk '{print \$3}' | sort | tr '\n' ' ')\" = \
'ptdbg_callback_set_reg ptdbg_callback_set_text ptdbg_gdb_free ptdbg_gdb_iommu ptdbg_gdb_pt ' ]"

# ---- the commands: same text as the command-line tools ----
if vm_start gdb-same; then
	same pt dump
	same pt dump --as alpha --format info-tlb
	same pt dump --nodes --user
	same pt walk 0x400000
	same pt walk 0x400000 --write --user
	same pt check
	same pt check -j
	same pt faults
	same pt region
	same pt regs
	same pt x scenario_ready 6
	same pt monitor info mem
	same iommu ctx
	same iommu regs
	same iommu check -j
	same iommu bufs
	same iommu walk 00:01.0 0x0
	same pt walk
	same pt nosuchcommand
	same pt dump --rangex
	same iommu check --kind fpd-set,no-such-kind
	same iommu --drhd 0xfed90000 regs -j
	# the options of one line do not carry over to the next
	in_gdb "$TMP/carry.txt" "iommu --drhd 0x1000 regs" "iommu regs"
	check_grep "iommu --drhd of one line does not carry over to the next" '^status 0$' "$TMP/carry.txt"
	# gdb is usable afterwards: virtual reads again, the memory cache not stale
	in_gdb "$TMP/after.txt" "pt walk scenario_ready" "x/1i scenario_ready"
	check_grep "after pt: gdb reads virtual memory again (x/i disassembles)" \
		'^   0x[0-9a-f]+ <scenario_ready(\+0)?>:' "$TMP/after.txt"
	# the page cache of one stop: a second command reads nothing the first one read
	in_gdb "$TMP/cache.txt" "pt -v dump" "pt -v dump" "pt -v check"
	reads=$(sed -n 's/^pt: gdb: \([0-9]*\) link reads.*/\1/p' "$TMP/cache.txt" | tr '\n' ' ')
	read -r r1 r2 _ <<<"$reads"
	check "pt -v: the first dump reads over gdb's connection (${r1:-none} link reads)" test "${r1:-0}" -gt 0
	check_eq "pt -v: a second dump while the VM stays stopped reads nothing" 0 "${r2:-none}"
	in_gdb "$TMP/shell.txt" "pt shell"
	check_grep "pt shell is refused inside gdb" '^status 2$' "$TMP/shell.txt"
	in_gdb "$TMP/help.txt" "help pt"
	check_grep "help pt documents the command" 'as ptdump shows them' "$TMP/help.txt"
else
	not_ok "default boots" "$(tail -20 "$VM_LOG" 2>/dev/null)"
fi
vm_stop gdb-same

# ---- triage scripts, started before the kernel runs ----
if have_scenario dma-high; then
	triage "triage-dma-window-4g, dma-high bug=dma-window-4g" dma-high dma-window-4g \
		'^VERDICT: BUG FOUND: out-of-range DMA: .*window-narrower-than-aw'
	check_grep "triage-dma-window-4g explains the panic from the VT-d state" \
		'the panic ".*InvalidVaddrRange\(0x200000000, 0x200001000\)" is the DMA map call refusing' "$TMP/triage.txt"
	check_grep "triage-dma-window-4g gives the fix: the 39-bit window" 'here: \[0, 0x8000000000\)' "$TMP/triage.txt"
	triage "triage-dma-window-4g, dma-high fixed" dma-high "" '^VERDICT: NOTHING WRONG'
else
	skip "triage-dma-window-4g" "the kernel has no scenario dma-high yet"
fi
if have_scenario wronly; then
	triage "triage-wronly-loop, wronly bug=wronly-loop" wronly wronly-loop \
		'^VERDICT: BUG FOUND: write-only mapping fault loop: .*fault-loop'
	check_grep "triage-wronly-loop decodes the faulting write" 'writes memory' "$TMP/triage.txt"
	triage "triage-wronly-loop, wronly fixed" wronly "" '^VERDICT: NOTHING WRONG'
else
	skip "triage-wronly-loop" "the kernel has no scenario wronly yet"
fi
if have_scenario untracked-pt; then
	triage "triage-untracked-as-tracked, untracked-pt bug=untracked-as-tracked" untracked-pt \
		untracked-as-tracked '^VERDICT: BUG FOUND: untracked page-table node freed as tracked: node-tracking-mismatch'
	check_grep "triage-untracked-as-tracked stops on the node-free path" '^  #0  free_subtree|^  #0  node_free' \
		"$TMP/triage.txt"
	triage "triage-untracked-as-tracked, untracked-pt fixed" untracked-pt "" '^VERDICT: NOTHING WRONG'
else
	skip "triage-untracked-as-tracked" "the kernel has no scenario untracked-pt yet"
fi

# ---- every script on the healthy default system: nothing wrong ----
for s in dma-window-4g wronly-loop untracked-as-tracked; do
	TRIAGE=$s triage "triage-$s on the default scenario" default "" '^VERDICT: NOTHING WRONG'
done

# ---- a fault loop planted through gdb: the default kernel's fault handler is made to
# return 'already handled' for alpha's first writable page without mapping it ----
cat >"$TMP/plant-loop.py" <<'EOF'
import gdb
class ForceHandled(gdb.Breakpoint):
    """At uspace_fault for va in [0x100000000, +4K): return UFAULT_HANDLED at once."""
    def stop(self):
        if 0x100000000 <= int(gdb.parse_and_eval("va")) < 0x100001000:
            rsp = int(gdb.parse_and_eval("$rsp"))
            ret = int(gdb.parse_and_eval("*(unsigned long *)%d" % rsp))
            gdb.execute("set $rax = UFAULT_HANDLED")
            gdb.execute("set $rsp = %d" % (rsp + 8))
            gdb.execute("set $pc = %d" % ret)
        return False
ForceHandled("uspace_fault", internal=True)
EOF
vm_start gdb-plant --stopped
timeout 120 gdb -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -x "$TMP/plant-loop.py" \
	-x gdb-scripts/triage-wronly-loop.gdb "$KERNEL" >"$TMP/triage.txt" 2>&1
check_grep "planted loop: triage-wronly-loop stops in the handler after repeated faults" \
	'^  16 identical page faults in a row' "$TMP/triage.txt"
check_grep "planted loop: the report decodes the write" 'insn +mov .*\(writes memory' "$TMP/triage.txt"
check_grep "planted loop: the verdict is a page-fault loop, not a write-only mapping" \
	'^VERDICT: BUG FOUND: page-fault loop: fault-loop' "$TMP/triage.txt"
vm_stop gdb-plant

# ---- attached after the fact ----
if have_scenario dma-high; then
	vm_start gdb-dma-panicked --scenario dma-high --bug dma-window-4g --mem 10G
	if [ "$VM_STATUS" = 3 ]; then
		triage_attached "triage-dma-window-4g after the panic names the cause" dma-window-4g \
			'^VERDICT: BUG FOUND: out-of-range DMA'
	else
		not_ok "dma-high bug=dma-window-4g panics (vm start status 3)" "status $VM_STATUS"
	fi
	vm_stop gdb-dma-panicked
fi
if have_scenario wronly; then
	if vm_start gdb-wronly-looping --scenario wronly --bug wronly-loop; then
		triage_attached "triage-wronly-loop on a kernel already looping names the cause" wronly-loop \
			'^VERDICT: BUG FOUND: write-only mapping fault loop'
	else
		not_ok "wronly bug=wronly-loop announces ready once the loop is established"
	fi
	vm_stop gdb-wronly-looping
fi
if have_scenario untracked-pt; then
	if vm_start gdb-untracked-freed --scenario untracked-pt --bug untracked-as-tracked; then
		triage_attached "triage-untracked-as-tracked after the nodes were freed names the cause" \
			untracked-as-tracked '^VERDICT: BUG FOUND: page-table node tracking / frame accounting: .*node-tracking-mismatch'
	else
		not_ok "untracked-pt bug=untracked-as-tracked boots to ready"
	fi
	vm_stop gdb-untracked-freed
fi
if vm_start gdb-ready; then
	triage_attached "triage-wronly-loop on a ready default kernel: nothing wrong" wronly-loop \
		'^VERDICT: NOTHING WRONG'
fi
vm_stop gdb-ready
