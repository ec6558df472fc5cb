#!/usr/bin/env bash
# The tools under AddressSanitizer + UndefinedBehaviorSanitizer, and under valgrind.
#
#  1. build the tools, unit tests and fuzz-corpus replayers in build/asan (make asan)
#  2. run every unit test from there
#  3. replay every committed fuzz corpus (seeds and past crashers), no fuzzing
#  4. run live commands with the sanitized tools (fake stub, and one QEMU VM of each
#     architecture, the AArch64 one with its SMMUv3): their
#     output must be the one of the normal build, with no sanitizer report
#  5. valgrind over a representative subset of the normal build, every corpus and
#     live commands on AArch64
. "$(dirname "$0")/../lib.sh"

ASAN=$TOP/build/asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87
SEEDS=$TOP/tests/fuzz/corpus

if ! make -C "$TOP" --no-print-directory -j2 asan replay-bins >"$TMP/build.log" 2>&1; then
	not_ok "make asan: tools, unit tests and replayers build with the sanitizers" "$(tail -30 "$TMP/build.log")"
	exit 0
fi
ok "make asan: tools, unit tests and replayers build with the sanitizers"

# sanitizer_clean NAME LOG: no sanitizer or valgrind report in LOG.
sanitizer_clean() {
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|Invalid (read|write)|uninitialised|definitely lost: [1-9]' "$2"; then
		not_ok "$1" "$(grep -m5 -E 'ERROR|runtime error|Invalid|uninitialised|definitely' "$2")"
	else
		ok "$1"
	fi
}

# ---- unit tests --------------------------------------------------------------------
for b in "$ASAN"/tests/test_*; do
	[ -x "$b" ] || continue
	n=$(basename "$b")
	CMOCKA_MESSAGE_OUTPUT=TAP "$b" >"$TMP/$n.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then sanitizer_clean "asan+ubsan: unit $n" "$TMP/$n.log"
	else not_ok "asan+ubsan: unit $n" "exit status $rc" "$(grep -E -m8 'not ok|ERROR|runtime error|SUMMARY' "$TMP/$n.log")"; fi
done

# ---- fuzz corpora ------------------------------------------------------------------
for d in "$SEEDS"/*/; do
	t=$(basename "$d")
	r=$ASAN/tests/fuzz/replay_$t
	[ -x "$r" ] || { not_ok "asan+ubsan: replay corpus $t" "no replayer $r"; continue; }
	"$r" "$d" >"$TMP/replay-$t.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then sanitizer_clean "asan+ubsan: replay corpus $t ($(sed -n 's/.*: \([0-9]*\) inputs/\1/p' "$TMP/replay-$t.log") inputs)" "$TMP/replay-$t.log"
	else not_ok "asan+ubsan: replay corpus $t" "exit status $rc" "$(grep -E -m8 'ERROR|runtime error|SUMMARY|#[0-9]' "$TMP/replay-$t.log")"; fi
done

# ---- live commands -----------------------------------------------------------------
# same_as_normal NAME ARGS...: the sanitized ptdump/iommudump (first word of ARGS
# names which) gives the normal build's status and stdout, and no report.
same_as_normal() {
	local name=$1 tool=$2
	shift 2
	"$BUILD/$tool" "$@" >"$TMP/normal.out" 2>/dev/null
	local want=$?
	"$ASAN/$tool" "$@" >"$TMP/asan.out" 2>"$TMP/asan.err"
	local got=$?
	if [ "$got" != "$want" ]; then
		not_ok "$name" "status $got, the normal build's $want" "$(head -20 "$TMP/asan.err")"
	elif ! cmp -s "$TMP/normal.out" "$TMP/asan.out"; then
		not_ok "$name" "output differs from the normal build:" "$(diff "$TMP/normal.out" "$TMP/asan.out" | head -10)"
	else
		sanitizer_clean "$name" "$TMP/asan.err"
	fi
}

CORE=$SEEDS/core/qemu-dump-cut
for c in "dump" "dump --format info-tlb" "dump --format json" "check" "walk 0xffffffff80100000 --write" \
	 "regs" "x 0xffffffff80100000 8" "region"; do
	# shellcheck disable=SC2086
	same_as_normal "asan+ubsan: ptdump --core SEED $c" ptdump --core "$CORE" $c
done
tail -c +2 "$SEEDS/snap/two-spaces" >"$TMP/a.snap"
tail -c +2 "$SEEDS/snap/corrupted" >"$TMP/bad.snap"
"$BUILD/ptdump" --core "$CORE" save "$TMP/b.snap" >/dev/null 2>&1
same_as_normal "asan+ubsan: ptdump diff of two snapshots" ptdump diff "$TMP/a.snap" "$TMP/b.snap"
same_as_normal "asan+ubsan: ptdump diff of a corrupted snapshot" ptdump diff "$TMP/bad.snap" "$TMP/a.snap"

# the fake stub with faults: error paths of the gdbstub backend
tail -c +65 "$SEEDS/x86/kernel-space" >"$TMP/img"
for spec in "normal" "badsum -p 3 -n 20" "nak -p 3 -n 20" "oversize -n 12" "drop -n 12" "ereply -n 12"; do
	port=$(random_free_port)
	# shellcheck disable=SC2086
	"$BUILD/tests/fakestub" -r -m $spec "$port" "$TMP/img" &
	stub=$!
	for _ in $(seq 100); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.05; done
	same_as_normal "asan+ubsan: ptdump over a fake stub ($spec)" ptdump -t "127.0.0.1:$port" --timeout 2 --region off dump
	kill $stub; wait $stub 2>/dev/null
done

# one VM: every command with the kernel ELF and the debug region
if vm_start san-live --mem 128M; then
	for c in "dump --all" "check" "region --frames" "regs" "walk 0xffffffff80100000" "dump --as alpha --format info-mem"; do
		# shellcheck disable=SC2086
		same_as_normal "asan+ubsan: ptdump $c (live)" ptdump -t "$VM_TARGET" -k "$KERNEL" $c
	done
	for c in "ctx" "regs" "check" "bufs"; do
		# shellcheck disable=SC2086
		same_as_normal "asan+ubsan: iommudump $c (live)" iommudump -t "$VM_TARGET" -k "$KERNEL" $c
	done
else
	not_ok "default boots to ready (live sanitizer run)" "$(tail -5 "$VM_LOG" 2>/dev/null)"
fi
vm_stop san-live

# one AArch64 VM with its SMMUv3 (the dma scenario): the AArch64 decoder, the SMMU
# code and the device-tree search under the sanitizers, on the real thing
A64_KERNEL=$BUILD/kernel-aarch64.elf
if [ -f "$A64_KERNEL" ] && command -v qemu-system-aarch64 >/dev/null; then
	if vm_start san-a64 --arch aarch64 --scenario dma --mem 256M; then
		for c in "dump --all" "dump --format json" "check" "region --frames" "regs" "spaces" "faults" \
			 "walk _start" "x _start 8"; do
			# shellcheck disable=SC2086
			same_as_normal "asan+ubsan: AArch64 ptdump $c (live)" ptdump -t "$VM_TARGET" -k "$A64_KERNEL" $c
		done
		for c in "regs" "ctx" "dump 0x10" "check" "bufs" "faults" "walk 0x10 0x1000"; do
			# shellcheck disable=SC2086
			same_as_normal "asan+ubsan: SMMUv3 iommudump $c (live)" iommudump -t "$VM_TARGET" -k "$A64_KERNEL" $c
		done
		same_as_normal "asan+ubsan: AArch64 ptdump dump, no region, no symbols (live)" \
			ptdump -t "$VM_TARGET" --region off dump
		same_as_normal "asan+ubsan: SMMUv3 iommudump ctx, no region (live)" \
			iommudump -t "$VM_TARGET" --region off ctx
	else
		not_ok "AArch64 dma boots to ready (live sanitizer run)" "$(tail -5 "$VM_LOG" 2>/dev/null)"
	fi
	vm_stop san-a64
else
	not_ok "the AArch64 kernel and qemu-system-aarch64 present (scripts/deps.sh, make)"
fi

# ---- valgrind ------------------------------------------------------------------------
if command -v valgrind >/dev/null; then
	# vg NAME CMD...: no memory error and no definite leak (status 99 = errors)
	vg() {
		local name=$1
		shift
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			"$@" >/dev/null 2>"$TMP/vg.log"
		local rc=$?
		if [ $rc -eq 99 ]; then not_ok "$name" "$(head -30 "$TMP/vg.log")"
		else sanitizer_clean "$name (status $rc)" "$TMP/vg.log"; fi
	}
	vg "valgrind: ptdump --core SEED dump" "$BUILD/ptdump" --core "$CORE" dump
	vg "valgrind: ptdump --core SEED check" "$BUILD/ptdump" --core "$CORE" check
	vg "valgrind: ptdump diff" "$BUILD/ptdump" diff "$TMP/a.snap" "$TMP/b.snap"
	vg "valgrind: ptdump on a corrupted core" "$BUILD/ptdump" --core "$SEEDS/core/truncated-memory" dump
	port=$(random_free_port)
	"$BUILD/tests/fakestub" -r -m badsum -p 3 "$port" "$TMP/img" &
	stub=$!
	for _ in $(seq 100); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.05; done
	vg "valgrind: ptdump over a lossy fake stub" "$BUILD/ptdump" -t "127.0.0.1:$port" --timeout 5 --region off dump
	kill $stub; wait $stub 2>/dev/null
	for d in "$SEEDS"/*/; do
		t=$(basename "$d")
		if [ -x "$BUILD/tests/fuzz/replay_$t" ]; then
			vg "valgrind: replay corpus $t" "$BUILD/tests/fuzz/replay_$t" "$SEEDS/$t"
		else not_ok "valgrind: replay corpus $t" "no replayer $BUILD/tests/fuzz/replay_$t"; fi
	done
	for u in test_x86_walk test_rsp test_vtd_walk test_arm64_walk test_arm64_check test_smmu_walk test_smmu_tables; do
		if [ -x "$BUILD/tests/$u" ]; then vg "valgrind: unit $u" "$BUILD/tests/$u"
		else not_ok "valgrind: unit $u" "not built: $BUILD/tests/$u (make test-bins)"; fi
	done
else
	not_ok "valgrind is installed (scripts/deps.sh)"
fi
