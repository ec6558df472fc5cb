#!/usr/bin/env bash
# Hostile guests, broken links and wrong input.
#
# The tools must finish in bounded time and memory, say what is wrong in one clear
# line with exit status 2 (or report it as findings), leave the VM running with
# QEMU's PhyMemMode restored whenever the link still works, and never write to the
# guest. Most checks run against tests/fakestub/fakestub.c serving the kernel page
# tables of a real capture (tests/fuzz/corpus/x86/kernel-space); a few need QEMU.
. "$(dirname "$0")/../lib.sh"

FAKESTUB=$BUILD/tests/fakestub
SEEDS=$TOP/tests/fuzz/corpus
IMG=$TMP/img
# the seed is a 64-byte fuzz parameter block, then guest memory from address 0
tail -c +65 "$SEEDS/x86/kernel-space" >"$IMG"

# run_tool OUT ERR CMD...: run a tool, record status in RC and seconds in SECS.
run_tool() {
	local out=$1 err=$2 t0
	shift 2
	t0=$(date +%s%N)
	timeout -k 5 60 "$@" >"$out" 2>"$err"
	RC=$?
	SECS=$(( ($(date +%s%N) - t0) / 1000000000 ))
}

# fails_clearly NAME MAXSECS CMD...: status 2, exactly one non-empty line on
# stderr, within MAXSECS.
fails_clearly() {
	local name=$1 max=$2
	shift 2
	run_tool "$TMP/out" "$TMP/err" "$@"
	local lines
	lines=$(grep -c . "$TMP/err")
	if [ "$RC" = 2 ] && [ "$lines" = 1 ] && [ "$SECS" -le "$max" ]; then
		ok "$name: status 2, one line ($(head -c 120 "$TMP/err"))"
	else
		not_ok "$name: status 2 and one line within ${max}s" "command: $*" \
			"status $RC after ${SECS}s, $lines lines on stderr:" "$(head -5 "$TMP/err")"
	fi
}

# left_as_found NAME: the stub's log ends with the VM running and PhyMemMode 0.
left_as_found() {
	check_eq "$1: VM resumed, PhyMemMode restored" "#disconnect running=1 phymem=0" \
		"$(grep '^#disconnect' "$STUB_LOG" | tail -1)"
}

# ---- reference output over a healthy link --------------------------------------
stub_start "$IMG"
run_tool "$TMP/ref" "$TMP/err" "$PTDUMP" -t "$STUB" --region off dump
check_eq "healthy stub: ptdump dump exits 0" 0 "$RC"
check_grep "healthy stub: the capture's kernel mappings are shown" '^0xffff800000000000-' "$TMP/ref"
left_as_found "healthy stub"
stub_stop

# a symbol file that is not an ELF, found while the stub answers the handshake:
# one error, and the VM left as it was
stub_start "$IMG"
fails_clearly "healthy stub, -k not an ELF" 6 "$PTDUMP" -t "$STUB" --region off -k "$TOP/README.md" dump
check_grep "healthy stub, -k not an ELF: the ELF error" 'not an ELF' "$TMP/err"
left_as_found "healthy stub, -k not an ELF"
stub_stop

# a monitor command that writes guest memory to a file: QEMU answers when the file
# is written, so the wait outlasts --timeout; any other command keeps --timeout
stub_start "$IMG"
run_tool "$TMP/mon" "$TMP/err" "$PTDUMP" -t "$STUB" --timeout 0.5 monitor dump-guest-memory "$TMP/x.core"
check_eq "monitor dump-guest-memory answered after 1.5 s with --timeout 0.5: waited, exit 0" "0 done" \
	"$RC $(tr -d '\r' <"$TMP/mon")"
run_tool "$TMP/mon" "$TMP/err" "$PTDUMP" -t "$STUB" --timeout 0.5 monitor info slow
check_eq "monitor info slow (1.5 s) with --timeout 0.5: gives up, exit 2" 2 "$RC"
check_grep "monitor info slow: says it had no reply within the timeout" 'no reply within 0.5 s' "$TMP/err"
stub_stop

# ---- broken links: each fault from the 13th packet on, after the handshake --------
for mode in stall drop badsum nak oversize; do
	stub_start -m "$mode" -n 12 "$IMG"
	fails_clearly "link fault $mode" 6 "$PTDUMP" -t "$STUB" --timeout 2 --region off dump
	case $mode in
	badsum|oversize) left_as_found "link fault $mode" ;;
	esac
	stub_stop
done

# occasional faults in memory reads are retried: the same output as over a healthy
# link (the first 20 packets, the handshake, are left alone: a bad checksum in a
# multi-packet reply such as a monitor command's cannot be asked for again)
for spec in "badsum -p 3" "nak -p 3"; do
	# shellcheck disable=SC2086
	stub_start -m $spec -n 20 "$IMG"
	run_tool "$TMP/out" "$TMP/err" "$PTDUMP" -t "$STUB" --timeout 2 --region off dump
	if [ "$RC" = 0 ] && cmp -s "$TMP/out" "$TMP/ref"; then
		ok "one packet in 3 faulty ($spec): retried, same output"
	else
		not_ok "one packet in 3 faulty ($spec): retried, same output" "status $RC" \
			"$(head -3 "$TMP/err")" "$(diff "$TMP/ref" "$TMP/out" | head -10)"
	fi
	left_as_found "one packet in 3 faulty ($spec)"
	stub_stop
done

# every memory read answered with an error: the tables are reported unreadable
stub_start -m ereply -n 12 "$IMG"
run_tool "$TMP/out" "$TMP/err" "$PTDUMP" -t "$STUB" --timeout 2 --region off dump
check_grep "all reads fail (E01): dump reports the root table unreadable" 'table-read-error at PML4' "$TMP/out"
run_tool "$TMP/out" "$TMP/err" "$PTDUMP" -t "$STUB" --timeout 2 --region off check
check_eq "all reads fail (E01): check exits 1" 1 "$RC"
check_grep "all reads fail (E01): check finds table-unreadable" 'table-unreadable' "$TMP/out"
left_as_found "all reads fail (E01)"
stub_stop

# a stub without QEMU's physical memory mode
stub_start -m no-phymem "$IMG"
fails_clearly "no PhyMemMode" 6 "$PTDUMP" -t "$STUB" --timeout 2 dump
check_grep "no PhyMemMode: says so" 'physical memory mode' "$TMP/err"
stub_stop

# wrong host or port
fails_clearly "connection refused" 6 "$PTDUMP" -t "127.0.0.1:$(random_free_port)" dump
fails_clearly "unknown host" 15 "$PTDUMP" -t no-such-host.invalid:1234 dump
fails_clearly "port out of range" 2 "$PTDUMP" -t 127.0.0.1:99999 dump
fails_clearly "port not a number" 2 "$PTDUMP" -t 127.0.0.1:12ab dump
fails_clearly "address without port" 2 "$PTDUMP" -t localhost dump
fails_clearly "missing unix socket" 2 "$PTDUMP" -t unix:"$TMP/none" dump
fails_clearly "iommudump: connection refused" 6 "$IOMMUDUMP" -t "127.0.0.1:$(random_free_port)" ctx

# a listener that never answers (a VM another client holds answers like this)
stub_start -m stall "$IMG"
fails_clearly "silent stub: --timeout 2 is honoured" 6 "$PTDUMP" -t "$STUB" --timeout 2 dump
stub_stop

# ---- hostile guest memory: bounded time and memory, partial marked partial ---------
# put64 FILE OFFSET VALUE: write a little-endian 64-bit value.
put64() {
	local s="" i
	for i in 0 1 2 3 4 5 6 7; do s+=$(printf '\\x%02x' $(( ($3 >> (8 * i)) & 255 ))); done
	# shellcheck disable=SC2059
	printf "$s" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}
put32() {
	local s="" i
	for i in 0 1 2 3; do s+=$(printf '\\x%02x' $(( ($3 >> (8 * i)) & 255 ))); done
	# shellcheck disable=SC2059
	printf "$s" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}

# every entry of the top-level table points back at it: 512^4 paths
LOOP=$TMP/loop.img
head -c 65536 /dev/zero >"$LOOP"
for i in $(seq 0 511); do printf '\x67\x10\x00\x00\x00\x00\x00\x00'; done |
	dd of="$LOOP" bs=1 seek=4096 conv=notrunc status=none
stub_start "$LOOP"
run_tool "$TMP/out" "$TMP/err" bash -c "ulimit -v 1048576; exec '$PTDUMP' -t '$STUB' --region off --no-fast-path dump"
check_eq "self-referencing tables: dump exits 0" 0 "$RC"
if [ "$SECS" -le 30 ]; then ok "self-referencing tables: dump ends in ${SECS}s under 1 GiB"
else not_ok "self-referencing tables: dump ends within 30s" "${SECS}s"; fi
check_grep "self-referencing tables: the result is marked partial" 'PARTIAL' "$TMP/out"
check_grep "self-referencing tables: the loop is reported" 'recursive' "$TMP/out"
left_as_found "self-referencing tables"
# interrupted in the middle of that walk: the VM is still left as it was found
for sig in INT TERM; do
	: >"$STUB_LOG"
	"$PTDUMP" -t "$STUB" --region off --no-fast-path dump >/dev/null 2>&1 &
	pid=$!
	# as soon as the walk reads memory (a fixed sleep lost the race once the walk got
	# faster than the sleep)
	for _ in $(seq 300); do grep -q '^m' "$STUB_LOG" && break; sleep 0.01; done
	kill -"$sig" $pid
	wait $pid
	rc=$?
	check "SIG$sig during a walk: the tool dies of it (status $rc)" test "$rc" -ge 128
	left_as_found "SIG$sig during a walk"
done
stub_stop

# ... and a debug region listing 64 address spaces that all use them: the command's
# walks share one budget, the spaces it does not reach are named as skipped
R=$((0x8000))
put64 "$LOOP" $R 0x4e4f494745524450; put32 "$LOOP" $((R + 8)) $((1 << 16))
put32 "$LOOP" $((R + 12)) 576; put64 "$LOOP" $((R + 16)) 2; put64 "$LOOP" $((R + 24)) $R
put64 "$LOOP" $((R + 104)) 0x9000; put32 "$LOOP" $((R + 112)) 64; put32 "$LOOP" $((R + 120)) 56
for k in $(seq 100 163); do
	printf 'sp%d' "$k"; head -c 27 /dev/zero
	printf '\x01\0\0\0\0\0\0\0\0\x10\0\0\0\0\0\0\x04\0\0\0\x01\0\0\0'
done | dd of="$LOOP" bs=1 seek=$((0x9000)) conv=notrunc status=none
stub_start "$LOOP"
run_tool "$TMP/out" "$TMP/err" bash -c "ulimit -v 1048576; exec '$PTDUMP' -t '$STUB' --region $R --no-fast-path check"
check_eq "64 self-referencing spaces: check exits 1" 1 "$RC"
if [ "$SECS" -le 60 ]; then ok "64 self-referencing spaces: check ends in ${SECS}s under 1 GiB"
else not_ok "64 self-referencing spaces: check ends within 60s" "${SECS}s"; fi
check_grep "64 self-referencing spaces: check says which walks were partial" 'walk-partial' "$TMP/out"
check_grep "64 self-referencing spaces: and that spaces were skipped" 'address spaces not checked' "$TMP/out"
left_as_found "64 self-referencing spaces"
stub_stop

# a debug region with absurd counts and names full of terminal escapes
REG=$TMP/region.img
cp "$IMG" "$REG"
head -c 8192 /dev/zero | dd of="$REG" bs=1 seek=$((0x12000)) conv=notrunc status=none
R=$((0x12000))
put64 "$REG" $R 0x4e4f494745524450          # magic
put32 "$REG" $((R + 8)) $((1 << 16))        # ABI 1.0
put32 "$REG" $((R + 12)) 576                # header size
put64 "$REG" $((R + 16)) 2                  # generation
put64 "$REG" $((R + 24)) $R                 # self_phys
# spaces: 2^32-1 of them, 4 KiB each, at the start of memory
put64 "$REG" $((R + 104)) 0x2000; put32 "$REG" $((R + 112)) 0xffffffff
put32 "$REG" $((R + 120)) 4096
# markers: three, with an escape sequence in each name
put64 "$REG" $((R + 128)) $((R + 4096)); put32 "$REG" $((R + 136)) 3; put32 "$REG" $((R + 144)) 56
for k in 0 1 2; do
	printf '\033[31mred\033]0;title\007' | dd of="$REG" bs=1 seek=$((R + 4096 + 56 * k + 16)) conv=notrunc status=none
done
# frames: 2^62 of them from pfn 0
put64 "$REG" $((R + 152)) 0x1000; put64 "$REG" $((R + 168)) $((1 << 62)); put32 "$REG" $((R + 176)) 16
# fault ring: capacity 2^32-1 of 4 KiB elements, 2^63 faults
put64 "$REG" $((R + 280)) 0x3000; put32 "$REG" $((R + 288)) 0xffffffff
put32 "$REG" $((R + 292)) 0xffffffff; put32 "$REG" $((R + 296)) 4096
put64 "$REG" $((R + 272)) $((1 << 62))
stub_start "$REG"
run_tool "$TMP/out" "$TMP/err" bash -c "ulimit -v 1048576; exec '$PTDUMP' -t '$STUB' --region $R region --frames"
if [ "$SECS" -le 30 ] && { [ "$RC" = 0 ] || [ "$RC" = 2 ]; }; then
	ok "hostile region: region --frames ends in ${SECS}s under 1 GiB (status $RC)"
else
	not_ok "hostile region: region --frames ends within 30s" "status $RC after ${SECS}s" "$(head -3 "$TMP/err")"
fi
check_grep "hostile region: what was clamped is noted" 'clamped|beyond 2\^52|not plausible' "$TMP/out"
if grep -q $'\033' "$TMP/out" "$TMP/err"; then
	not_ok "hostile region: no terminal escape from guest names reaches the output"
else
	ok "hostile region: no terminal escape from guest names reaches the output"
fi
run_tool "$TMP/out" "$TMP/err" bash -c "ulimit -v 1048576; exec '$PTDUMP' -t '$STUB' --region $R -j region"
check "hostile region: JSON output is valid" jq -e . "$TMP/out"
left_as_found "hostile region"
stub_stop

# VT-d: every bus and device present, all sharing one second-level table whose
# every entry points back at itself (the real register file of QEMU's unit, from
# the fuzz seed, with translation enabled and the root table at 0x1000)
VTD=$TMP/vtd.img
tail -c +49 "$SEEDS/vtd/legacy" >"$VTD"
put32 "$VTD" $((0x8000 + 0x1c)) 0xc0000000   # GSTS: TES, RTPS
put64 "$VTD" $((0x8000 + 0x20)) 0x1000       # RTADDR
for i in $(seq 0 255); do printf '\x01\x20\0\0\0\0\0\0\0\0\0\0\0\0\0\0'; done |
	dd of="$VTD" bs=1 seek=$((0x1000)) conv=notrunc status=none
for i in $(seq 0 255); do printf '\x01\x30\0\0\0\0\0\0\x01\x01\0\0\0\0\0\0'; done |
	dd of="$VTD" bs=1 seek=$((0x2000)) conv=notrunc status=none
for i in $(seq 0 511); do printf '\x03\x30\0\0\0\0\0\0'; done |
	dd of="$VTD" bs=1 seek=$((0x3000)) conv=notrunc status=none
stub_start "$VTD"
for c in "ctx" "walk 00:02.0 0x1000" "regs" "save $TMP/hostile.snap" "dump 00:02.0"; do
	# shellcheck disable=SC2086
	run_tool "$TMP/out" "$TMP/err" bash -c "ulimit -v 1048576; exec '$IOMMUDUMP' -t '$STUB' --region off --drhd 0x8000 $c"
	if [ "$RC" = 0 ] && [ "$SECS" -le 30 ]; then ok "hostile VT-d tables: iommudump $c ends in ${SECS}s under 1 GiB"
	else not_ok "hostile VT-d tables: iommudump $c ends within 30s under 1 GiB" "status $RC after ${SECS}s" "$(head -3 "$TMP/err")"; fi
done
check_grep "hostile VT-d tables: the budget-limited dump is marked partial" 'partial' "$TMP/out"
run_tool "$TMP/out" "$TMP/err" bash -c "ulimit -v 1048576; exec timeout 60 '$IOMMUDUMP' -t '$STUB' --region off --drhd 0x8000 check"
if [ "$RC" = 1 ] && [ "$SECS" -le 30 ]; then ok "hostile VT-d tables: iommudump check ends in ${SECS}s under 1 GiB"
else not_ok "hostile VT-d tables: iommudump check ends within 30s under 1 GiB" "status $RC after ${SECS}s" "$(head -3 "$TMP/err")"; fi
left_as_found "hostile VT-d tables"
stub_stop

# ---- read-only by default: the packets of every command ---------------------------
# Every ptdump and iommudump command runs against a logging stub; none may write
# memory or registers or set breakpoints (M, X, P, G, Z packets); monitor commands
# the tools send on their own must be ones that only read.
stub_start "$IMG"
snap=$TMP/live.snap
"$PTDUMP" -t "$STUB" --region off save "$snap" >/dev/null 2>&1
cmds=(
	"$PTDUMP dump" "$PTDUMP dump --format json" "$PTDUMP dump --format info-mem"
	"$PTDUMP dump --format info-tlb" "$PTDUMP dump --absent --nodes --range 0xffffffff80000000-0xffffffffc0000000"
	"$PTDUMP walk 0xffffffff80100000 --write" "$PTDUMP check" "$PTDUMP region" "$PTDUMP regs"
	"$PTDUMP save $TMP/s2.snap" "$PTDUMP diff $snap" "$PTDUMP x 0xffffffff80100000 4"
	"$IOMMUDUMP ctx" "$IOMMUDUMP regs" "$IOMMUDUMP faults" "$IOMMUDUMP dump 00:02.0"
	"$IOMMUDUMP walk 00:02.0 0x1000" "$IOMMUDUMP check" "$IOMMUDUMP bufs" "$IOMMUDUMP save $TMP/v.snap"
)
for c in "${cmds[@]}"; do
	: >"$STUB_LOG"
	# shellcheck disable=SC2086
	timeout -k 5 60 $c -t "$STUB" --timeout 3 >/dev/null 2>&1
	name="read-only: ${c#"$BUILD/"}"
	writes=$(grep -E '^[MXPGZ]' "$STUB_LOG" | head -3)
	mons=$(sed -n 's/^qRcmd,//p' "$STUB_LOG" | while read -r h; do printf '%b\n' "$(sed 's/../\\x&/g' <<<"$h")"; done |
		grep -vE '^(info (status|mtree -f|registers|mem|tlb)|gpa2hva .*)$')
	if [ -z "$writes" ] && [ -z "$mons" ]; then ok "$name: no write, breakpoint or writing monitor command"
	else not_ok "$name: no write, breakpoint or writing monitor command" "$writes" "$mons"; fi
	check_eq "$name: VM resumed, PhyMemMode restored" "#disconnect running=1 phymem=0" \
		"$(grep '^#disconnect' "$STUB_LOG" | tail -1)"
done
# the shell, many commands over one attach
: >"$STUB_LOG"
printf 'dump\nregs\nwalk 0xffffffff80100000\ncheck\nquit\n' |
	timeout -k 5 60 "$PTDUMP" -t "$STUB" --region off shell >/dev/null 2>&1
if grep -qE '^[MXPGZ]' "$STUB_LOG"; then not_ok "read-only: ptdump shell" "$(grep -E '^[MXPGZ]' "$STUB_LOG" | head -3)"
else ok "read-only: ptdump shell sends no write"; fi
stub_stop

# ---- files ---------------------------------------------------------------------
: >"$TMP/empty"
head -c 5000 "$SEEDS/core/qemu-dump-cut" >"$TMP/core.trunc"
fails_clearly "core file missing" 2 "$PTDUMP" --core "$TMP/none" dump
fails_clearly "core file empty" 2 "$PTDUMP" --core "$TMP/empty" dump
fails_clearly "core file not an ELF" 2 "$PTDUMP" --core "$TOP/README.md" dump
fails_clearly "core file truncated (headers)" 2 "$PTDUMP" --core "$SEEDS/core/truncated-headers" dump
fails_clearly "core file truncated (memory)" 2 "$PTDUMP" --core "$TMP/core.trunc" dump
fails_clearly "core file is the kernel ELF" 2 "$PTDUMP" --core "$KERNEL" dump
fails_clearly "iommudump: core file not an ELF" 2 "$IOMMUDUMP" --core "$TOP/README.md" ctx
run_tool "$TMP/out" "$TMP/err" "$PTDUMP" --core "$SEEDS/core/qemu-dump-cut" dump
check_eq "a minimal core cut from a real dump: dump exits 0" 0 "$RC"

if [ -f "$KERNEL" ]; then
	strip -o "$TMP/kernel.stripped" "$KERNEL"
	fails_clearly "kernel ELF without symbols" 2 "$PTDUMP" --core "$SEEDS/core/qemu-dump-cut" -k "$TMP/kernel.stripped" region
	check_grep "kernel ELF without symbols: says so" 'symbol' "$TMP/err"
fi
fails_clearly "kernel ELF not an ELF" 2 "$PTDUMP" --core "$SEEDS/core/qemu-dump-cut" -k "$TOP/README.md" dump
fails_clearly "kernel ELF missing" 2 "$PTDUMP" --core "$SEEDS/core/qemu-dump-cut" -k "$TMP/none" dump
# through a gdbstub the symbols load while it answers the handshake; with no stub
# there the symbol file's error still comes first, alone
fails_clearly "kernel ELF not an ELF, no stub" 6 "$IOMMUDUMP" -t "127.0.0.1:$(random_free_port)" -k "$TOP/README.md" dump 00:01.0
check_grep "kernel ELF not an ELF, no stub: the ELF error" 'not an ELF' "$TMP/err"
fails_clearly "kernel ELF missing, no stub" 6 "$PTDUMP" -t "127.0.0.1:$(random_free_port)" -k "$TMP/none" dump
check_grep "kernel ELF missing, no stub: the file's error" 'No such file' "$TMP/err"

# snapshots: the fuzz seeds minus their 1-byte mode prefix
for s in two-spaces newer-version truncated corrupted; do tail -c +2 "$SEEDS/snap/$s" >"$TMP/$s.snap"; done
check "snapshot: a good one diffs with itself" "$PTDUMP" diff "$TMP/two-spaces.snap" "$TMP/two-spaces.snap"
fails_clearly "snapshot from a newer format" 2 "$PTDUMP" diff "$TMP/newer-version.snap" "$TMP/two-spaces.snap"
check_grep "snapshot from a newer format: says newer" 'newer' "$TMP/err"
fails_clearly "snapshot truncated" 2 "$PTDUMP" diff "$TMP/two-spaces.snap" "$TMP/truncated.snap"
check_grep "snapshot truncated: says truncated" 'truncated' "$TMP/err"
fails_clearly "snapshot corrupted" 2 "$PTDUMP" diff "$TMP/corrupted.snap" "$TMP/two-spaces.snap"
check_grep "snapshot corrupted: says corrupted" 'corrupt' "$TMP/err"
fails_clearly "snapshot not a snapshot" 2 "$PTDUMP" diff "$TOP/README.md" "$TMP/two-spaces.snap"
fails_clearly "snapshot missing" 2 "$PTDUMP" diff "$TMP/none" "$TMP/two-spaces.snap"
fails_clearly "iommudump: snapshot corrupted" 2 "$IOMMUDUMP" diff "$TMP/corrupted.snap" "$TMP/two-spaces.snap"

# ---- command-line misuse: no target is contacted, status 2, one line --------------
export PTDBG_TARGET=127.0.0.1:1
while IFS= read -r line; do
	[ -n "$line" ] || continue
	# shellcheck disable=SC2086
	fails_clearly "misuse: ptdump $line" 2 "$PTDUMP" $line
done <<'EOF'
frobnicate
--frobnicate
dump --frobnicate
-t
dump --timeout
--timeout abc dump
--timeout -1 dump
--timeout 1e9 dump
--pat xyz dump
--maxphyaddr 99 dump
--region xyz region
walk
walk 0x1000 0x2000
dump --range 5-1
dump --range zz
dump --format nope
dump --flags q
dump --cr3
dump --cr3 zz
x
x 0xffffffff80100000 abc
x 0xffffffff80100000 0
save
diff
d
EOF
while IFS= read -r line; do
	[ -n "$line" ] || continue
	# shellcheck disable=SC2086
	fails_clearly "misuse: iommudump $line" 2 "$IOMMUDUMP" $line
done <<'EOF'
frobnicate
--frobnicate
ctx --frobnicate
-t
--timeout abc ctx
--drhd xyz regs
--fault-codes nope walk 00:02.0 0
walk
walk 00:02.0
walk zz:zz.z 0x1000
dump
dump 00:02.0 extra
save
diff
EOF
unset PTDBG_TARGET

# ---- QEMU: killed while attached, and already attached by another client ----------
if vm_start robust-kill --mem 128M; then
	mkfifo "$TMP/shell.in"
	"$PTDUMP" -t "$VM_TARGET" --timeout 3 shell <"$TMP/shell.in" >"$TMP/shell.out" 2>&1 &
	shell_pid=$!
	exec 7>"$TMP/shell.in"
	echo regs >&7
	sleep 1
	fails_clearly "VM attached by another client" 8 "$PTDUMP" -t "$VM_TARGET" --timeout 3 regs
	kill -9 "$(cat "$BUILD/vm/robust-kill.pid")"
	sleep 0.5
	echo dump >&7
	exec 7>&-
	waited=0
	while kill -0 "$shell_pid" 2>/dev/null && [ $waited -lt 20 ]; do sleep 0.5; waited=$((waited + 1)); done
	if kill -0 "$shell_pid" 2>/dev/null; then
		not_ok "QEMU killed while attached: the shell ends" "still running after 10s"
		kill "$shell_pid"
	else
		ok "QEMU killed while attached: the shell ends"
	fi
	check_grep "QEMU killed while attached: the next command says the link is gone" \
		'exited|closed|lost|no reply|connection' "$TMP/shell.out"
	fails_clearly "QEMU killed: a new attach fails" 6 "$PTDUMP" -t "$VM_TARGET" --timeout 2 dump
else
	not_ok "default boots to ready (for the QEMU checks)" "$(tail -5 "$VM_LOG" 2>/dev/null)"
fi
vm_stop robust-kill
