#!/usr/bin/env bash
# Bug triage from outside (shared/BUGS.md sections 2 and 3): ptdump check's region-aware
# kinds and fault-loop analysis, and ptdump faults, against the reference kernel.
#   - default: no finding of these kinds; the fault log decodes.
#   - default with a bug planted through gdb (frame metadata, a write-only PTE and a
#     fault loop written into the log): each kind is found, with names.
#   - scenarios wronly (bug=wronly-loop) and untracked-pt (bug=untracked-as-tracked),
#     when the kernel has them: the expected kinds with the bug, none without.
. "$(dirname "$0")/../lib.sh"

REGION_KINDS=node-tracking-mismatch,tracking-parent-mismatch,freed-frame-mapped,refcount-below-mappings,untracked-leaf-owned,region-check-partial
TRIAGE_KINDS=$REGION_KINDS,fault-loop,sw-present-hw-absent
LINEAR=0xffff800000000000

pt() { "$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" "$@"; }
skip() { ok "$1 # SKIP $2"; }
have_faults_cmd() { "$PTDUMP" faults --help >/dev/null 2>&1; }
have_scenario() { grep -rqs "\"$1\"" kernel/scenarios/; }

# hex N: N as the JSON printers write addresses.
hex() { printf '0x%016x' $(($1)); }

# kinds_of FILE: the sorted distinct kinds of a check -j output.
kinds_of() { jq -r '.[].kind' "$1" 2>/dev/null | sort -u | tr '\n' ' '; }

# gdb_run FILE: run a gdb script against the VM (writes through the kernel's own mappings).
gdb_run() { gdb -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -x "$1" -ex detach "$KERNEL" >"$TMP/gdb.out" 2>&1; }

# ---- default: nothing to report ----
if vm_start triage-default; then
	ok "default boots"
	check_status "default: ptdump check finds nothing (exit 0)" 0 pt check
	check_status "default: no triage kind" 0 pt check --kind "$TRIAGE_KINDS"
	if have_faults_cmd; then
		pt faults >"$TMP/faults.txt" 2>&1
		check_grep "default: faults decodes the user write that demand paging served" \
			'insn +mov .*\(writes memory' "$TMP/faults.txt"
		check_grep "default: faults reports no loop" '^0 fault loops$' "$TMP/faults.txt"
		check "default: faults -j is JSON with every record" \
			bash -c "'$PTDUMP' -t '$VM_TARGET' -k '$KERNEL' faults --all -j | jq -e '(.faults | length) == .kept'"
	else
		skip "default: ptdump faults" "the faults command is not registered in tools/ptdump/main.c"
	fi

	# ---- default with planted bugs ----
	# A writable user page of alpha, the PT that maps it, and the frame metadata.
	pt dump --as alpha --user >"$TMP/alpha.txt" 2>/dev/null
	meta=$(pt region -j | jq -r '.frames.array')
	leafva=$(awk '/ 4K  pa / && / RW / {print $1; exit}' "$TMP/alpha.txt" | cut -d- -f1)
	leafpa=$(awk '/ 4K  pa / && / RW / {print $4; exit}' "$TMP/alpha.txt")
	entry=$(pt walk "$leafva" --as alpha 2>/dev/null | grep -E '^ +PTE' | grep -oE '@0x[0-9a-f]+' | tr -d @)
	node=$([ -n "$entry" ] && printf '0x%x' $((entry & ~0xfff)))
	if [ -z "$meta" ] || [ -z "$node" ] || [ -z "$leafpa" ]; then
		not_ok "default: found a PT, a writable leaf and the frame metadata of alpha" \
			"meta=$meta node=$node leaf=$leafva->$leafpa"
	else
		# frame metadata entries: 16 bytes (usage, level, tracking, flags, refcount, ...)
		m="($LINEAR + $meta)"
		cat >"$TMP/plant.gdb" <<-EOF
			set *(unsigned char *)($m + ($node >> 12) * 16 + 2) = 1
			set *(int *)($m + ($leafpa >> 12) * 16 + 4) = 0
		EOF
		gdb_run "$TMP/plant.gdb"
		pt check -j --kind "$REGION_KINDS" >"$TMP/plant.json" 2>&1
		check_eq "planted: an untracked user PT and a tracked frame without references" \
			"node-tracking-mismatch refcount-below-mappings tracking-parent-mismatch " "$(kinds_of "$TMP/plant.json")"
		check_eq "planted: the finding names node, space and marker" "$(hex "$node") alpha user" \
			"$(jq -r '.[] | select(.kind == "node-tracking-mismatch") | "\(.node) \(.space) \(.marker)"' "$TMP/plant.json")"
		check_eq "planted: the refcount finding names the frame" "$(hex "$leafpa")" \
			"$(jq -r '.[] | select(.kind == "refcount-below-mappings") | .frame' "$TMP/plant.json")"
		cat >"$TMP/unplant.gdb" <<-EOF
			set *(unsigned char *)($m + ($node >> 12) * 16 + 2) = 2
			set *(int *)($m + ($leafpa >> 12) * 16 + 4) = 1
		EOF
		gdb_run "$TMP/unplant.gdb"
		check_status "planted: repaired again, no triage kind" 0 pt check --kind "$TRIAGE_KINDS"

	fi
else
	not_ok "default boots" "$(tail -20 "$VM_LOG" 2>/dev/null)"
fi
vm_stop triage-default

# ---- the bug scenarios, once the kernel has them ----
# scenario_case SCENARIO BUG WANT_KINDS: with the bug, check reports exactly WANT_KINDS
# among the triage kinds (exit 1); without it, none of them (exit 0).
scenario_case() {
	local sc=$1 bug=$2 want=$3
	if ! have_scenario "$sc"; then
		skip "$sc: with and without bug=$bug" "the kernel has no scenario $sc yet"
		return
	fi
	if vm_start "triage-$sc-fixed" --scenario "$sc"; then
		check_status "$sc without the bug: no triage kind" 0 pt check --kind "$TRIAGE_KINDS"
	else
		not_ok "$sc boots without the bug" "$(tail -20 "$VM_LOG" 2>/dev/null)"
	fi
	vm_stop "triage-$sc-fixed"
	vm_start "triage-$sc-bug" --scenario "$sc" --bug "$bug"
	if [ "$VM_STATUS" = 0 ] || [ "$VM_STATUS" = 3 ]; then
		local rc=0
		pt check -j --kind "$TRIAGE_KINDS" >"$TMP/$sc.json" 2>"$TMP/$sc.err" || rc=$?
		local got k missing=
		got=$(kinds_of "$TMP/$sc.json")
		for k in $want; do grep -qw -- "$k" <<<"$got" || missing="$missing $k"; done
		if [ -z "$missing" ]; then ok "$sc bug=$bug: check reports $want"
		else not_ok "$sc bug=$bug: check reports $want" "missing:$missing" "got: $got" \
			"exit status $rc; stderr: $(head -c 2000 "$TMP/$sc.err")" "stdout: $(head -c 1000 "$TMP/$sc.json")"; fi
		if [ "$sc" = wronly ]; then
			pt faults --loops >"$TMP/wronly.txt" 2>&1
			check_grep "wronly bug=$bug: faults decodes the looping write" \
				'insn .*\(writes memory' "$TMP/wronly.txt"
			check_grep "wronly bug=$bug: faults marks the loop" 'FAULT LOOP' "$TMP/wronly.txt"
			check_grep "wronly bug=$bug: faults says the write would fault again" \
				'the same write would FAULT again now' "$TMP/wronly.txt"
			# without Capstone the loop is still found; the instruction is not decoded
			local nrc=0
			without_capstone "$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" faults --loops >"$TMP/wronly-nc.txt" 2>&1 ||
				nrc=$?
			if [ "$nrc" = 77 ]; then
				diag "cannot hide libcapstone here (not root?): its absence is not tested"
			else
				check_grep "wronly bug=$bug, no Capstone: faults still marks the loop" 'FAULT LOOP' "$TMP/wronly-nc.txt"
				check_grep "wronly bug=$bug, no Capstone: faults says why the instruction is not decoded" \
					'insn +not decoded: the capstone x86-64 disassembler cannot be opened' "$TMP/wronly-nc.txt"
			fi
			check_grep "wronly bug=$bug: the finding explains P=0 with RW=1 and bit 7" \
				'writes memory.*P=0.*RW=1 and bit 7' \
				<(jq -r '.[] | select(.kind == "fault-loop") | .message' "$TMP/$sc.json")
			check_eq "wronly bug=$bug: the finding names space, marker, frame and node" "wronly user yes yes" \
				"$(jq -r '[.[] | select(.kind == "fault-loop")][0] | "\(.space) \(.marker) \(.frame != null | if . then "yes" else "no" end) \(.node != null | if . then "yes" else "no" end)"' "$TMP/$sc.json")"
		fi
		if [ "$sc" = untracked-pt ]; then
			check_grep "untracked-pt bug=$bug: frames still mapped went back to the allocator" 'freed-frame-mapped' \
				<(echo "$got")
		fi
	else
		not_ok "$sc boots with bug=$bug" "$(tail -20 "$VM_LOG" 2>/dev/null)"
	fi
	vm_stop "triage-$sc-bug"
}

scenario_case wronly wronly-loop "fault-loop sw-present-hw-absent"
scenario_case untracked-pt untracked-as-tracked "node-tracking-mismatch tracking-parent-mismatch freed-frame-mapped"
