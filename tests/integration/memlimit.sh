#!/usr/bin/env bash
# Memory limits: every command of both tools on the bench scenario's 16,777,216
# present pages (bench=16m, about 128 MiB of tables) under ulimit -v 262144 (256 MiB
# of address space) completes, or ends with status 2 and one line saying what did
# not fit; none is killed by a signal or runs past its time. One VM per
# architecture, each booted once: x86-64 (q35) and AArch64 (virt, 4 KiB granule,
# va_bits=39: the pages lie at [64, 128) GiB, beyond a 36-bit user half). The
# bench area itself, as the kernel logged it, must come out whole under the limit.
. "$(dirname "$0")/../lib.sh"

LIMIT=262144
A64_KERNEL=$BUILD/kernel-aarch64.elf

# limits ARCH KERNEL CMD...: each command (a string of words, the target and the
# kernel appended) under the limit against VM_TARGET; one result for all of them.
limits() {
	local arch=$1 kernel=$2 c rc ms lines n=0 slow=0 slowest= t_all=$SECONDS
	shift 2
	local bad=()
	for c in "$@"; do
		local t0; t0=$(date +%s%N)
		# shellcheck disable=SC2086
		(ulimit -v $LIMIT; exec timeout 180 $c -t "$VM_TARGET" -k "$kernel") >"$TMP/out" 2>"$TMP/err"
		rc=$?
		ms=$(( ($(date +%s%N) - t0) / 1000000 ))
		[ "$ms" -gt "$slow" ] && { slow=$ms; slowest=${c#"$BUILD/"}; }
		lines=$(grep -c . "$TMP/err")
		n=$((n + 1))
		if [ "$rc" -le 1 ] || { [ "$rc" = 2 ] && [ "$lines" = 1 ]; }; then
			diag "$arch: ${c#"$BUILD/"}: status $rc in $ms ms$([ "$rc" = 2 ] && echo ": $(head -c 150 "$TMP/err")")"
		else
			bad+=("${c#"$BUILD/"}: status $rc after $ms ms, $lines lines on stderr: $(head -3 "$TMP/err")")
		fi
	done
	if [ ${#bad[@]} -eq 0 ]; then
		ok "$arch bench=16m under ulimit -v $LIMIT: $n commands of both tools complete or end with 2 and one line ($((SECONDS - t_all)) s; slowest: $slowest, $slow ms)"
	else
		not_ok "$arch bench=16m under ulimit -v $LIMIT: every command completes or ends with 2 and one line" "${bad[@]}"
	fi
}

# whole_area ARCH KERNEL SPACE: under the limit, `dump --merge-virtual` of SPACE
# shows the bench area the kernel logged ("N pages mapped at BASE") as one range.
whole_area() {
	local arch=$1 kernel=$2 space=$3 pages base want got
	read -r pages base < <(sed -n 's/^ptdbg: bench: \([0-9]*\) pages mapped at \(0x[0-9a-f]*\) .*/\1 \2/p' "$VM_LOG")
	want=$(printf '0x%016x-0x%016x' "$((base))" "$((base + pages * 4096))")
	got=$( (ulimit -v $LIMIT; exec timeout 180 "$PTDUMP" -t "$VM_TARGET" -k "$kernel" dump --merge-virtual --as "$space") 2>&1 |
		grep -o "^$want" )
	check_eq "$arch bench=16m under the limit: dump shows the kernel's $pages pages at $base whole" "$want" "$got"
}

# ---- x86-64 ----
if vm_start mem16m --scenario bench --mem 1G --timeout 300 --append bench=16m; then
	# a user page of the bench process: its space's first range
	user=$("$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" -j spaces 2>/dev/null | jq -r '[.spaces[] | select(.kind == "user")][0].space // empty')
	"$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" save "$TMP/a.snap" >/dev/null 2>&1
	whole_area x86-64 "$KERNEL" "${user:-bench}"
	limits x86-64 "$KERNEL" \
		"$PTDUMP dump" "$PTDUMP -j dump" "$PTDUMP dump --format=info-mem" "$PTDUMP dump --format=info-tlb" \
		"$PTDUMP dump --all" "$PTDUMP dump --all-spaces" "$PTDUMP check" "$PTDUMP check --all-spaces" \
		"$PTDUMP save $TMP/b.snap --all" "$PTDUMP diff $TMP/a.snap" "$PTDUMP spaces" "$PTDUMP rmap 0x1000000 0x100000" \
		"$PTDUMP search 0xdeadbeefcafef00d --as ${user:-kernel}" "$PTDUMP map -o $TMP/m.svg --as ${user:-kernel}" \
		"$PTDUMP walk 0xffffffff80100000" "$PTDUMP region --frames" "$PTDUMP faults" "$PTDUMP regs" \
		"$PTDUMP x 0xffffffff80100000 8" \
		"$IOMMUDUMP ctx" "$IOMMUDUMP regs" "$IOMMUDUMP faults" "$IOMMUDUMP check" "$IOMMUDUMP bufs" \
		"$IOMMUDUMP save $TMP/v.snap" "$IOMMUDUMP dump 00:02.0" "$IOMMUDUMP walk 00:02.0 0x1000"
else
	not_ok "x86-64 bench=16m boots to ready" "$(tail -5 "$VM_LOG" 2>/dev/null)"
fi
vm_stop mem16m

# ---- AArch64: the same commands, with its addresses (RAM and the image at 1 GiB
# up, the kernel in the top 64 GiB) and the SMMU's stream 0x10 for the edu device ----
if [ ! -f "$A64_KERNEL" ] || ! command -v qemu-system-aarch64 >/dev/null; then
	not_ok "AArch64 kernel and qemu-system-aarch64 present" "kernel: $A64_KERNEL; run scripts/deps.sh and make"
	exit 0
fi
if vm_start mem16m-a64 --arch aarch64 --scenario bench --mem 1G --timeout 300 \
	--append "bench=16m granule=4k va_bits=39"; then
	user=$("$PTDUMP" -t "$VM_TARGET" -k "$A64_KERNEL" -j spaces 2>/dev/null | jq -r '[.spaces[] | select(.kind == "user")][0].space // empty')
	image=$(aarch64-linux-gnu-nm "$A64_KERNEL" | awk '$3 == "__kernel_start" { print "0x" $1 }')
	[ -n "$image" ] || not_ok "AArch64: the kernel's __kernel_start (aarch64-linux-gnu-nm)"
	rm -f "$TMP"/*.snap "$TMP/m.svg"
	"$PTDUMP" -t "$VM_TARGET" -k "$A64_KERNEL" save "$TMP/a.snap" >/dev/null 2>&1
	whole_area AArch64 "$A64_KERNEL" "${user:-bench}"
	limits AArch64 "$A64_KERNEL" \
		"$PTDUMP dump" "$PTDUMP -j dump" "$PTDUMP dump --format=info-mem" "$PTDUMP dump --format=info-tlb" \
		"$PTDUMP dump --all" "$PTDUMP dump --all-spaces" "$PTDUMP check" "$PTDUMP check --all-spaces" \
		"$PTDUMP save $TMP/b.snap --all" "$PTDUMP diff $TMP/a.snap" "$PTDUMP spaces" "$PTDUMP rmap 0x41000000 0x100000" \
		"$PTDUMP search 0xdeadbeefcafef00d --as ${user:-kernel}" "$PTDUMP map -o $TMP/m.svg --as ${user:-kernel}" \
		"$PTDUMP walk $image" "$PTDUMP region --frames" "$PTDUMP faults" "$PTDUMP regs" \
		"$PTDUMP x $image 8" \
		"$IOMMUDUMP ctx" "$IOMMUDUMP regs" "$IOMMUDUMP faults" "$IOMMUDUMP check" "$IOMMUDUMP bufs" \
		"$IOMMUDUMP save $TMP/v.snap" "$IOMMUDUMP dump 0x10" "$IOMMUDUMP walk 0x10 0x40000000"
else
	not_ok "AArch64 bench=16m (va_bits=39) boots to ready" "$(tail -5 "$VM_LOG" 2>/dev/null)"
fi
vm_stop mem16m-a64
