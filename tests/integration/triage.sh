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
gdb_run() { gdb -nx -batch -ex "target remote $VM_TARGET" -x "$1" -ex detach "$KERNEL" >"$TMP/gdb.out" 2>&1; }

# ---- default: nothing to report ----
if vm_start triage-default; then
	ok "default boots"
	pt check -j >"$TMP/def.json" 2>"$TMP/def.err"
	rc=$?
	other=$(jq -r '[.[] | select(.kind != "alias-wx")] | length' "$TMP/def.json" 2>/dev/null)
	if [ "$rc" -le 1 ] && [ "$other" = 0 ]; then
		ok "default: ptdump check finds nothing but the known kernel-text alias-wx"
	else
		not_ok "default: ptdump check finds nothing but the known kernel-text alias-wx" \
			"status $rc" "$(cat "$TMP/def.err")" "$(jq -c '.[]' "$TMP/def.json" | head -10)"
	fi
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

		# A write-only PTE (P=0 RW=1 bit 7) and a fault loop at it, as bug wronly-loop leaves them.
		cat >"$TMP/loop.gdb" <<-EOF
			set \$e = (unsigned long *)($LINEAR + $entry)
			set \$pte = ((*\$e) & ~1ul) | 0x80
			set *\$e = \$pte
			set \$ring = (struct ptdbg_fault *)($LINEAR + ptdbg_region.faults.ring.phys)
			set \$cap = ptdbg_region.faults.ring.capacity
			# the RIP of a user write alpha made (demand paging logged it)
			set \$rip = 0
			set \$i = 0
			while \$i < ptdbg_region.faults.ring.count
			  if \$ring[\$i].as_index == 1 && \$ring[\$i].error_code == 6
			    set \$rip = \$ring[\$i].rip
			  end
			  set \$i = \$i + 1
			end
			set \$i = 0
			while \$i < 20
			  set \$n = ptdbg_region.faults.total
			  set \$ring[\$n % \$cap].seq = \$n
			  set \$ring[\$n % \$cap].cr2 = $leafva + 0x10
			  set \$ring[\$n % \$cap].rip = \$rip
			  set \$ring[\$n % \$cap].error_code = 6
			  set \$ring[\$n % \$cap].cr3 = $(pt region -j | jq -r '.spaces[] | select(.name == "alpha") | .root')
			  set \$ring[\$n % \$cap].pte = \$pte
			  set \$ring[\$n % \$cap].outcome = 2
			  set \$ring[\$n % \$cap].as_index = 1
			  set ptdbg_region.faults.total = \$n + 1
			  set \$i = \$i + 1
			end
			if ptdbg_region.faults.ring.count < \$cap
			  set ptdbg_region.faults.ring.count = ptdbg_region.faults.total
			end
		EOF
		if [ -n "$entry" ] && gdb_run "$TMP/loop.gdb"; then
			pt check -j --kind fault-loop,sw-present-hw-absent >"$TMP/loop.json" 2>&1
			check_eq "planted loop: fault-loop and sw-present-hw-absent" \
				"fault-loop sw-present-hw-absent " "$(kinds_of "$TMP/loop.json")"
			check_grep "planted loop: the finding decodes the write and explains P=0 with RW=1 and bit 7" \
				'writes memory.*P=0.*RW=1 and bit 7' <(jq -r '.[] | select(.kind == "fault-loop") | .message' "$TMP/loop.json")
			check_eq "planted loop: the finding names space, marker, frame and node" \
				"alpha user $(hex "$leafpa") $(hex "$node")" \
				"$(jq -r '.[] | select(.kind == "fault-loop") | "\(.space) \(.marker) \(.frame) \(.node)"' "$TMP/loop.json")"
			if have_faults_cmd; then
				pt faults --loops >"$TMP/loops.txt" 2>&1
				check_grep "planted loop: faults shows it once, as a loop" '20 identical faults in a row: a FAULT LOOP' "$TMP/loops.txt"
				check_grep "planted loop: faults says the write would fault again" 'the same write would FAULT again now' "$TMP/loops.txt"
			else
				skip "planted loop: ptdump faults" "the faults command is not registered in tools/ptdump/main.c"
			fi
		else
			not_ok "planted loop: wrote the PTE and the fault log through gdb" "entry=$entry" "$(cat "$TMP/gdb.out")"
		fi
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
		pt check -j --kind "$TRIAGE_KINDS" >"$TMP/$sc.json" 2>&1
		local got k missing=
		got=$(kinds_of "$TMP/$sc.json")
		for k in $want; do grep -qw -- "$k" <<<"$got" || missing="$missing $k"; done
		if [ -z "$missing" ]; then ok "$sc bug=$bug: check reports $want"
		else not_ok "$sc bug=$bug: check reports $want" "missing:$missing" "got: $got"; fi
		if [ "$sc" = wronly ]; then
			if have_faults_cmd; then
				pt faults --loops >"$TMP/wronly.txt" 2>&1
				check_grep "wronly bug=$bug: faults decodes the looping write" \
					'insn .*\(writes memory' "$TMP/wronly.txt"
				check_grep "wronly bug=$bug: faults marks the loop" 'FAULT LOOP' "$TMP/wronly.txt"
			else
				skip "wronly bug=$bug: ptdump faults" "the faults command is not registered in tools/ptdump/main.c"
			fi
		fi
	else
		not_ok "$sc boots with bug=$bug" "$(tail -20 "$VM_LOG" 2>/dev/null)"
	fi
	vm_stop "triage-$sc-bug"
}

scenario_case wronly wronly-loop "fault-loop sw-present-hw-absent"
scenario_case untracked-pt untracked-as-tracked "node-tracking-mismatch"
