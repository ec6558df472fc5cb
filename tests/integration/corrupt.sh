#!/usr/bin/env bash
# Hostile and broken guests: the corrupt scenario damages a victim address space,
# the debug region and VT-d contexts; the attack scenario's user program pokes at the
# kernel. Both tools must finish quickly, say what is wrong and keep showing what is
# intact.
. "$(dirname "$0")/../lib.sh"

# run_tools NAME: every command of both tools against the running VM; each must end
# within 20 s with status 0, 1 or 2 (never a crash, a hang or a signal).
run_tools() {
	local name=$1 cmd rc bad=()
	local -a cmds=(
		"$PTDUMP check" "$PTDUMP dump --all" "$PTDUMP dump --format=info-tlb" "$PTDUMP region --frames"
		"$PTDUMP faults" "$PTDUMP save $TMP/s.snap --all" "$IOMMUDUMP check" "$IOMMUDUMP ctx" "$IOMMUDUMP bufs"
	)
	for cmd in "${cmds[@]}"; do
		rc=0
		timeout 20 $cmd -t "$VM_TARGET" -k "$KERNEL" >"$TMP/out" 2>&1 || rc=$?
		[ "$rc" -le 2 ] || bad+=("$cmd: exit $rc $(tail -2 "$TMP/out")")
	done
	if [ ${#bad[@]} -eq 0 ]; then ok "$name: every command of both tools ends with 0, 1 or 2 within 20 s"
	else not_ok "$name: every command of both tools ends with 0, 1 or 2 within 20 s" "${bad[@]}"; fi
}

# kinds TOOL: the unique finding kinds of `TOOL check`.
kinds() { "$1" -t "$VM_TARGET" -k "$KERNEL" check -j 2>/dev/null | jq -r '[.[].kind] | unique | join(",")'; }

# switch BUG PTDUMP_KINDS IOMMUDUMP_KINDS: boot corrupt with one switch and compare.
switch() {
	local bug=$1 want_pt=$2 want_io=$3
	if ! vm_start "corrupt-$bug" --scenario corrupt --bug "$bug"; then
		not_ok "corrupt bug=$bug boots to ready"
		return
	fi
	run_tools "corrupt bug=$bug"
	check_eq "corrupt bug=$bug: ptdump check kinds" "$want_pt" "$(kinds "$PTDUMP")"
	check_eq "corrupt bug=$bug: iommudump check kinds" "$want_io" "$(kinds "$IOMMUDUMP")"
	vm_stop "corrupt-$bug"
}

# The intact victim: nothing to report, and it is shown.
if vm_start corrupt-intact --scenario corrupt; then
	check_status "corrupt, no switch: ptdump check finds nothing" 0 "$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" check
	n=$("$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" dump --as victim --user | grep -c '^0x')
	[ "$n" -gt 0 ] && ok "corrupt, no switch: the victim's $n ranges are shown" || not_ok "the victim is shown"
else
	not_ok "corrupt boots without a switch"
fi
vm_stop corrupt-intact

switch pt-cycle "recursive-table,user-maps-kernel-frame,wx" ""
switch self-ref "recursive-table" ""
switch past-ram "leaf-outside-ram,table-outside-ram" ""
switch mmio "leaf-outside-ram,table-outside-ram" ""
switch reserved "leaf-outside-ram,reserved-bits,table-outside-ram" ""
switch huge-top "reserved-bits" ""
switch vtd-garbage "" "reserved-bits,table-outside-ram"

# self-ref is legitimate: shown as info, check does not fail on it
if vm_start corrupt-selfref --scenario corrupt --bug self-ref; then
	check_status "self-ref: an info finding, check exits 0" 0 "$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" check
	check_grep "self-ref: the recursive window is dumped under no marker" '^---\[ \(no marker\) \]---$' \
		<("$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" dump --as victim)
fi
vm_stop corrupt-selfref

# A region with absurd counts and a torn one: warnings, bounded output, intact parts shown.
if vm_start corrupt-region --scenario corrupt --bug region-counts; then
	run_tools "region-counts"
	"$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" region >"$TMP/r.out" 2>"$TMP/r.err"
	check_grep "region-counts: the damage is named" 'not plausible|exceeds capacity' "$TMP/r.err"
	check_status "region-counts: the CPU tables are still walked" 0 "$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" dump
fi
vm_stop corrupt-region
if vm_start corrupt-torn --scenario corrupt --bug region-torn; then
	run_tools "region-torn"
	check_grep "region-torn: every command says the copy is torn" 'torn read: generation [0-9]+ is odd' \
		<("$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" region 2>&1)
fi
vm_stop corrupt-torn

# Several switches at once, in 5-level paging.
if vm_start corrupt-many --scenario corrupt --paging 5 --bug pt-cycle,self-ref,past-ram,mmio,reserved,huge-top; then
	run_tools "six switches, 5-level"
else
	not_ok "corrupt boots with six switches in 5-level paging"
fi
vm_stop corrupt-many

# attack: a user program reading, writing and executing kernel memory is killed each time.
if vm_start corrupt-attack --scenario attack; then
	n=$(grep -c '^ptdbg: process attack killed' "$VM_LOG")
	[ "$n" -ge 5 ] && ok "attack: every attempt killed the process ($n)" ||
		not_ok "attack: every attempt killed the process" "$(grep attack "$VM_LOG" | tail -5)"
	check_status "attack: ptdump check finds no user-accessible kernel page" 0 \
		"$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" check --kind user-kernel,user-maps-kernel-frame,wx
else
	not_ok "attack boots to ready"
fi
vm_stop corrupt-attack
