#!/usr/bin/env bash
# Soak: attach-and-detach cycles of both tools against one running VM.
#
#   tests/soak/soak.sh CYCLES [ARCH...]      (make soak: 1,000; make test: 100)
#
# ARCH: x86_64, aarch64; by default each whose kernel and QEMU are here.
#
# Each cycle is one whole command as a user runs it (ptdump region -j, iommudump
# regs -j). Checks: every cycle succeeds; the guest keeps running between cycles
# (the tick counter of the debug region advances); PhyMemMode is off at the end;
# QEMU holds no more file descriptors than before; the median cycle is under 50 ms.
# TAP output, like the integration suites.
. "$(dirname "$0")/../lib.sh"

CYCLES=${1:-100}
shift || true
ARCHES=("$@")
# default: every architecture whose kernel is built and whose QEMU is installed
if [ ${#ARCHES[@]} -eq 0 ]; then
	ARCHES=(x86_64)
	[ -f "$BUILD/kernel-aarch64.elf" ] && command -v qemu-system-aarch64 >/dev/null &&
		command -v gdb-multiarch >/dev/null && ARCHES+=(aarch64)
fi
MEDIAN_MAX_MS=50
# SOAK_TIMING=report: give the median without judging it (make test's short soak
# runs beside other work, where a time says little; make soak judges it).
SOAK_TIMING=${SOAK_TIMING:-judge}

now_ns() { date +%s%N; }

# median_ms FILE: the median of the nanosecond durations in FILE, in ms.
median_ms() { sort -n "$1" | awk '{a[NR]=$1} END {printf "%d", a[int((NR+1)/2)] / 1000000}'; }

# phymem ARCH PORT: QEMU's PhyMemMode as gdb asks it ("0" or "1"); gdb-multiarch
# for a target other than the host's.
phymem() {
	local gdb=gdb
	[ "$1" = x86_64 ] || gdb=gdb-multiarch
	"$gdb" -nx -batch -ex "target remote 127.0.0.1:$2" -ex 'maint packet qqemu.PhyMemMode' \
		-ex detach 2>/dev/null | sed -n 's/^received: "\(.*\)"$/\1/p'
}

soak_arch() {
	local arch=$1 name=soak-$1 pid fd0 fd1 t0 t1 rc fails prev ticks stalls
	local vmargs=(--scenario default)
	# on AArch64 the SMMUv3 is there only when asked for (iommudump's unit)
	[ "$arch" = x86_64 ] || vmargs+=(--arch "$arch" --smmu on)
	if ! vm_start "$name" "${vmargs[@]}"; then
		not_ok "$arch: the VM boots for the soak" "$(tail -5 "$VM_LOG")"
		return
	fi
	mkdir -p "$BUILD/test-logs"
	pid=$(cat "$BUILD/vm/$name.pid")
	fd0=$(ls "/proc/$pid/fd" | wc -l)

	for tool in ptdump iommudump; do
		local bin cmd times=$BUILD/test-logs/soak-$arch-$tool.ns
		[ "$tool" = ptdump ] && { bin=$PTDUMP; cmd=(region -j); }
		[ "$tool" = iommudump ] && { bin=$IOMMUDUMP; cmd=(regs -j); }
		: >"$times"
		fails=0 stalls=0 prev=-1
		for ((i = 0; i < CYCLES; i++)); do
			t0=$(now_ns)
			out=$("$bin" -t "$VM_TARGET" "${cmd[@]}" 2>&1)
			rc=$?
			t1=$(now_ns)
			echo $((t1 - t0)) >>"$times"
			if [ $rc -ne 0 ]; then
				fails=$((fails + 1))
				[ $fails -le 3 ] && diag "$tool cycle $i: exit $rc: $(head -2 <<<"$out")"
				continue
			fi
			if [ "$tool" = ptdump ]; then
				ticks=$(jq -r .ticks <<<"$out")
				# the guest ran since the previous cycle: its tick count moved on
				[ "$ticks" -gt "$prev" ] 2>/dev/null || stalls=$((stalls + 1))
				prev=$ticks
			fi
		done
		check_eq "$arch: $CYCLES $tool attach-and-detach cycles all succeed" 0 "$fails"
		[ "$tool" = ptdump ] &&
			check_eq "$arch: the guest's tick counter advanced between every two ptdump cycles" \
				0 "$stalls"
		local med
		med=$(median_ms "$times")
		diag "$arch $tool: median cycle $med ms"
		if [ "$SOAK_TIMING" = judge ]; then
			check "$arch: median $tool cycle ${med} ms is under ${MEDIAN_MAX_MS} ms" \
				test "$med" -lt "$MEDIAN_MAX_MS"
		fi
	done
	# the guest still runs after the last detach
	local a b
	a=$("$PTDUMP" -t "$VM_TARGET" region -j | jq -r .ticks)
	sleep 0.2
	b=$("$PTDUMP" -t "$VM_TARGET" region -j | jq -r .ticks)
	check "$arch: the guest runs after the last cycle (ticks $a then $b)" test "$b" -gt "$a"
	check_eq "$arch: PhyMemMode is off at the end" 0 "$(phymem "$arch" "$VM_PORT")"
	fd1=$(ls "/proc/$pid/fd" | wc -l)
	check_eq "$arch: QEMU holds as many file descriptors as before ($fd0)" "$fd0" "$fd1"
	vm_stop "$name"
}

for a in "${ARCHES[@]}"; do
	soak_arch "$a"
done
