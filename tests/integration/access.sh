#!/usr/bin/env bash
# The access scenario: thousands of permission cases decided by QEMU's MMU emulation
# (the oracle nobody here wrote), each compared with what ptdbg's permission logic
# predicts: for every case through the library (the recorded path served as memory
# to the same translation code `ptdump walk` uses), and for the cases still mapped
# in the kernel's space through `ptdump walk` itself.
. "$(dirname "$0")/../lib.sh"

CASES=$BUILD/tests/access_cases
out=$BUILD/test-logs/access-x86.txt

if ! vm_start access --scenario access; then
	not_ok "access scenario boots to ready" "$(tail -5 "$VM_LOG")"
	exit 0
fi
ok "access scenario boots to ready"
line=$(grep -m1 'ptdbg: access:' "$VM_LOG")
diag "$line"
n=$(sed -n 's/.*access: \([0-9]*\) cases.*/\1/p' <<<"$line")
check "the CPU ran thousands of cases (${n:-0})" test "${n:-0}" -ge 5000

check "the cases are read out of the debug region" \
	"$CASES" fetch -t "$VM_TARGET" -k "$KERNEL" "$out"
res=$("$CASES" check "$out")
rc=$?
diag "$(tail -2 <<<"$res")"
if [ $rc -eq 0 ]; then
	ok "ptdbg predicts every case as the CPU decided it (outcome and #PF error code)"
else
	not_ok "ptdbg predicts every case as the CPU decided it" "$(head -60 <<<"$res")"
fi
check_eq "the number of cases checked is the number the kernel ran" "$n" \
	"$(sed -n 's/^\([0-9]*\) cases (.*/\1/p' <<<"$res" | tail -1)"

# the live cases: ptdump walk through the gdbstub, under the state in force
bad=() nlive=0
while read -r va flags; do
	set -- $flags
	args=() want=""
	while [ "$1" != - ]; do args+=("$1"); shift; done
	shift
	if [ "$1" = allowed ]; then want=0; else want=$((16#$2)); fi
	got=$("$PTDUMP" -t "$VM_TARGET" walk "0x$va" "${args[@]}" -j | jq -r '.translation.pf_error // "0"')
	nlive=$((nlive + 1))
	[ $((got)) -eq "$want" ] || bad+=("0x$va ${args[*]}: cpu $want, ptdump walk $got")
done < <("$CASES" live "$out")
if [ ${#bad[@]} -eq 0 ] && [ $nlive -ge 16 ]; then
	ok "ptdump walk agrees with the CPU on the $nlive cases still mapped"
else
	not_ok "ptdump walk agrees with the CPU on the live cases ($nlive)" "${bad[@]}"
fi
vm_stop access
