#!/usr/bin/env bash
# Memory limits: every command of both tools on the bench scenario's 16,777,216
# present pages (bench=16m, about 128 MiB of tables) under ulimit -v 262144 (256 MiB
# of address space) completes, or ends with status 2 and one line saying what did
# not fit; none is killed by a signal or runs past its time.
. "$(dirname "$0")/../lib.sh"

LIMIT=262144
if ! vm_start mem16m --scenario bench --mem 1G --timeout 300 --append bench=16m; then
	not_ok "bench=16m boots to ready" "$(tail -5 "$VM_LOG" 2>/dev/null)"
	exit 0
fi
K=(-k "$KERNEL")
# a user page of the bench process: its space's first range
user=$("$PTDUMP" -t "$VM_TARGET" "${K[@]}" -j spaces 2>/dev/null | jq -r '[.[] | select(.kind == "user")][0].name // empty')
"$PTDUMP" -t "$VM_TARGET" "${K[@]}" save "$TMP/a.snap" >/dev/null 2>&1
cmds=(
	"$PTDUMP dump" "$PTDUMP -j dump" "$PTDUMP dump --format=info-mem" "$PTDUMP dump --format=info-tlb"
	"$PTDUMP dump --all" "$PTDUMP dump --all-spaces" "$PTDUMP check" "$PTDUMP check --all-spaces"
	"$PTDUMP save $TMP/b.snap --all" "$PTDUMP diff $TMP/a.snap" "$PTDUMP spaces" "$PTDUMP rmap 0x1000000 0x100000"
	"$PTDUMP search 0xdeadbeefcafef00d --as ${user:-kernel}" "$PTDUMP map -o $TMP/m.svg --as ${user:-kernel}"
	"$PTDUMP walk 0xffffffff80100000" "$PTDUMP region --frames" "$PTDUMP faults" "$PTDUMP regs"
	"$PTDUMP x 0xffffffff80100000 8"
	"$IOMMUDUMP ctx" "$IOMMUDUMP regs" "$IOMMUDUMP faults" "$IOMMUDUMP check" "$IOMMUDUMP bufs"
	"$IOMMUDUMP save $TMP/v.snap" "$IOMMUDUMP dump 00:02.0" "$IOMMUDUMP walk 00:02.0 0x1000"
)
bad=() n=0 slow=0 slowest=
for c in "${cmds[@]}"; do
	t0=$(date +%s%N)
	# shellcheck disable=SC2086
	(ulimit -v $LIMIT; exec timeout 180 $c -t "$VM_TARGET" "${K[@]}") >"$TMP/out" 2>"$TMP/err"
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ "$ms" -gt "$slow" ] && { slow=$ms; slowest=${c#"$BUILD/"}; }
	lines=$(grep -c . "$TMP/err")
	n=$((n + 1))
	if [ "$rc" -le 1 ] || { [ "$rc" = 2 ] && [ "$lines" = 1 ]; }; then
		diag "${c#"$BUILD/"}: status $rc in $ms ms$([ "$rc" = 2 ] && echo ": $(head -c 150 "$TMP/err")")"
	else
		bad+=("${c#"$BUILD/"}: status $rc after $ms ms, $lines lines on stderr: $(head -3 "$TMP/err")")
	fi
done
if [ ${#bad[@]} -eq 0 ]; then ok "bench=16m under ulimit -v $LIMIT: $n commands of both tools complete or end with 2 and one line (slowest: $slowest, $slow ms)"
else not_ok "bench=16m under ulimit -v $LIMIT: every command completes or ends with 2 and one line" "${bad[@]}"; fi
vm_stop mem16m
