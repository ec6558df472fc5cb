#!/usr/bin/env bash
# The access scenario on AArch64: thousands of permission cases decided by QEMU's MMU
# emulation (the oracle nobody here wrote), one boot per granule (4, 16 and 64 KiB,
# 48-bit input addresses so that every block has a table above it, -cpu max with
# PAN), and one on cortex-a57 (no PAN: those cases are skipped and counted; a 39-bit
# space whose 1 GiB blocks sit in the root). Each case is compared with what ptdbg's
# decoder predicts from the recorded path and state (fault status and level, the
# whole ESR_EL1, FAR_EL1), and the cases still mapped in the gallery with
# `ptdump walk VA --user/--write/--exec` itself.
. "$(dirname "$0")/../lib.sh"

CASES=$BUILD/tests/access_cases
A64_KERNEL=$BUILD/kernel-aarch64.elf
all=$BUILD/test-logs/access-aarch64.txt

if [ ! -f "$A64_KERNEL" ] || ! command -v qemu-system-aarch64 >/dev/null; then
	not_ok "AArch64 kernel and qemu-system-aarch64 present" "run scripts/deps.sh and make"
	exit 0
fi

# boot NAME MIN CMDLINE [QEMU-ARGS]: boot the scenario, check it, leave its cases in
# $BUILD/test-logs/access-NAME.txt.
files=()
boot() {
	local name=$1 min=$2 append=$3 qargs=${4:-}
	local out=$BUILD/test-logs/access-$name.txt
	local extra=()
	[ -n "$qargs" ] && extra=(--qemu-args "$qargs")
	if ! vm_start "access-$name" --arch aarch64 --scenario access --append "$append" "${extra[@]}"; then
		not_ok "$name: access scenario boots to ready" "$(tail -5 "$VM_LOG")"
		return
	fi
	local line n
	line=$(grep -m1 'ptdbg: access:' "$VM_LOG")
	diag "$name: $line"
	n=$(sed -n 's/.*access: \([0-9]*\) cases.*/\1/p' <<<"$line")
	check "$name: the CPU ran thousands of cases (${n:-0})" test "${n:-0}" -ge "$min"
	if ! check "$name: the cases are read out of the debug region" \
		"$CASES" fetch -t "$VM_TARGET" -k "$A64_KERNEL" "$out"; then
		vm_stop "access-$name"
		return
	fi
	files+=("$out")
	local res rc=0
	res=$("$CASES" check "$out") || rc=$?
	diag "$(tail -1 <<<"$res")"
	if [ $rc -eq 0 ]; then
		ok "$name: ptdbg predicts every case as the CPU decided it (ESR_EL1: class, fault status and level; FAR_EL1)"
	else
		not_ok "$name: ptdbg predicts every case as the CPU decided it" "$(head -80 <<<"$res")"
	fi
	check_eq "$name: the number of cases checked is the number the kernel ran" "$n" \
		"$(sed -n 's/^\([0-9]*\) cases (.*/\1/p' <<<"$res" | tail -1)"

	# the live cases: ptdump walk through the gdbstub, under the state in force
	local bad=() nlive=0 va flags args want got
	while read -r va flags; do
		set -- $flags
		args=()
		while [ "$1" != - ]; do args+=("$1"); shift; done
		shift
		if [ "$1" = allowed ]; then want=0; else want=$((16#$2)); fi
		got=$("$PTDUMP" -t "$VM_TARGET" walk "0x$va" "${args[@]}" -j | jq -r '.translation.esr // "0"')
		nlive=$((nlive + 1))
		[ $((got)) -eq "$want" ] || bad+=("0x$va ${args[*]}: cpu ESR $(printf 0x%x "$want"), ptdump walk $got")
	done < <("$CASES" live "$out" | awk 'NR % 6 == 1')
	if [ ${#bad[@]} -eq 0 ] && [ $nlive -ge 30 ]; then
		ok "$name: ptdump walk agrees with the CPU on $nlive cases still mapped"
	else
		not_ok "$name: ptdump walk agrees with the CPU on the live cases ($nlive)" "${bad[@]}"
	fi
	vm_stop "access-$name"
}

boot 4k 4000 "granule=4k va_bits=48"
boot 16k 3000 "granule=16k va_bits=48"
boot 64k 3000 "granule=64k va_bits=48"
boot a57 3000 "granule=4k va_bits=39" "-cpu cortex-a57"
skipped=$(sed -n 's/^skipped //p' "$BUILD/test-logs/access-a57.txt" 2>/dev/null)
check "a57: the PAN cases are skipped and counted on a CPU without PAN (${skipped:-none})" \
	test "${skipped:-0}" -gt 0

if [ ${#files[@]} -eq 4 ]; then
	"$CASES" merge "$all" "${files[@]}" >/dev/null
	res=$("$CASES" check "$all")
	check_eq "all granules: every case agrees" 0 $?
	diag "all granules: $(tail -1 <<<"$res") (kept as $all; tests/data/access-aarch64.txt.gz is one such run, compressed)"
fi
