#!/usr/bin/env bash
# iommudump against QEMU 7.2's intel-iommu: registers, faults, context entries, walks,
# dumps, checks, snapshots. Oracles: QEMU's monitor (xp) for the registers, QEMU's
# vtd_dmar_translate trace events for every DMA the edu device performed.
#
# Until the reference kernel programs VT-d itself, the tables are written into guest
# RAM through gdb (physical-memory mode), the unit is enabled through its registers,
# and the edu device (00:01.0) is made to DMA through them.
. "$(dirname "$0")/../lib.sh"

EDU=00:01.0
ECAM=0xb0000000   # q35 PCIe MMCONFIG
EDU_BAR=0xfea00000
DRHD=0xfed90000

# gdb_set PORT FILE: run the gdb "set" lines of FILE with physical addressing, then resume.
gdb_set() {
	{
		echo "set pagination off"
		echo "target remote 127.0.0.1:$1"
		echo "maint packet Qqemu.PhyMemMode:1"
		cat "$2"
		echo "maint packet Qqemu.PhyMemMode:0"
		echo "detach"
	} >"$TMP/gdb.cmds"
	timeout 30 gdb -nx -batch -x "$TMP/gdb.cmds" >"$TMP/gdb.out" 2>&1
}

# edu_dma PORT SRC DST LEN CMD: start an edu DMA (CMD 1: RAM -> device, 3: device -> RAM)
# and wait for it (the device runs it from a timer).
edu_dma() {
	printf 'set {unsigned long long}(%s+0x80) = %s\nset {unsigned long long}(%s+0x88) = %s\nset {unsigned long long}(%s+0x90) = %s\nset {unsigned long long}(%s+0x98) = %s\n' \
		$EDU_BAR "$2" $EDU_BAR "$3" $EDU_BAR "$4" $EDU_BAR "$5" >"$TMP/dma.set"
	gdb_set "$1" "$TMP/dma.set"
	sleep 0.3
}

# mon PORT CMD: a QEMU monitor command through the gdbstub.
mon() { "$PTDUMP" -t "127.0.0.1:$1" monitor "$2" 2>&1; }

# trace_matches_walk NAME TRACE [iommudump options]: every vtd_dmar_translate event of
# TRACE is reproduced by `iommudump walk` (same physical address).
# trace_matches_walk NAME TRACE ARGS...: every translation in QEMU's trace is what
# `iommudump walk` gives now. A buffer the kernel has unmapped since (the debug region
# says so; read with -k even when ARGS turn the region off) must not translate now.
trace_matches_walk() {
	local name=$1 trace=$2; shift 2
	local n=0 gone=0 bad=() dev iova gpa got unmapped
	unmapped=$("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" bufs -j 2>/dev/null |
		jq -r '.dma_bufs[]? | select(.status == "unmapped") | "\(.iova) \(.size)"')
	while read -r dev iova gpa; do
		n=$((n + 1))
		# the trace does not say read or write: a write-only page answers only writes
		got=$("$IOMMUDUMP" -t "$VM_TARGET" "$@" walk "$dev" "$iova" -j | jq -r '.translation.pa // "none"')
		[ "$got" = none ] &&
			got=$("$IOMMUDUMP" -t "$VM_TARGET" "$@" walk "$dev" "$iova" --write -j | jq -r '.translation.pa // "none"')
		local was_unmapped=0 b l
		while read -r b l; do
			[ -n "$b" ] && [ $((iova)) -ge $((b)) ] && [ $((iova)) -lt $((b + l)) ] && was_unmapped=1
		done <<<"$unmapped"
		if [ $was_unmapped = 1 ]; then
			[ "$got" = none ] && gone=$((gone + 1)) || bad+=("$dev $iova: unmapped by the kernel, yet iommudump walks to $got")
		elif [ "$got" = none ] || [ $((got)) -ne $((gpa)) ]; then
			bad+=("$dev $iova: QEMU $gpa, iommudump $got")
		fi
	done < <(sed -n 's/^vtd_dmar_translate dev \([0-9a-f]*:[0-9a-f]*\)\.0*\([0-7]\) iova \(0x[0-9a-f]*\) -> gpa \(0x[0-9a-f]*\).*/\1.\2 \3 \4/p' "$trace" | sort -u)
	if [ "$n" -gt 0 ] && [ ${#bad[@]} -eq 0 ]; then
		ok "$name: $n translations QEMU performed, iommudump walk agrees ($gone unmapped since, and not translated now)"
	else not_ok "$name: iommudump walk agrees with QEMU's translations" "events: $n" "${bad[@]}"; fi
}

# ---- a guest whose kernel leaves the unit alone (iommu=off): tables written here through gdb ----
trace=$TMP/trace.log
if ! vm_start iod-default --append iommu=off --qemu-args "-trace vtd_dmar_translate,file=$trace"; then
	not_ok "default scenario boots"
	exit 0
fi
T=(-t "$VM_TARGET" -k "$KERNEL")
port=$VM_PORT

"$IOMMUDUMP" "${T[@]}" regs >"$TMP/regs" 2>&1; rc=$?
check_eq "regs: exit 0" 0 "$rc"
check_grep "regs: the unit comes from the ACPI DMAR table" "^register base $DRHD from ACPI DMAR" "$TMP/regs"
for f in SAGAW MGAW NFR FRO SLLPS IRO SMTS PT QI TES RTPS RTA IVT FRCD0 ' F '; do
	check_grep "regs: decodes $f" "^ +$f +\[|^$f|$f" "$TMP/regs"
done
j=$("$IOMMUDUMP" "${T[@]}" regs -j)
for reg in 0x08:CAP 0x10:ECAP 0x20:RTADDR; do
	off=${reg%%:*} nm=${reg#*:}
	want=$(mon "$port" "xp /1gx $((DRHD + off))" | awk '{print $2}')
	got=$(jq -r --arg n "$nm" '.unit.registers[] | select(.name == $n) | .value' <<<"$j")
	check_eq "regs: $nm equals QEMU's xp ($want)" "$((want))" "$((got))"
done
check_eq "regs --dmar: the DMAR table's DRHD" "$((DRHD))" \
	"$(( $("$IOMMUDUMP" "${T[@]}" regs --dmar -j | jq -r '.dmar.drhd[0].base') ))"
# q35 has no IORT (QEMU builds one for Arm machines only): the same lookup, through
# the shared ACPI root, says so and goes on
out=$("$IOMMUDUMP" "${T[@]}" regs --iort 2>&1); rc=$?
check_eq "regs --iort on q35: no IORT, the registers all the same, exit 0" "1 1 0" \
	"$(grep -c '^no ACPI IORT table found in guest memory$' <<<"$out") $(grep -c '^CAP ' <<<"$out") $rc"

out=$("$IOMMUDUMP" "${T[@]}" ctx 2>&1); rc=$?
check_eq "ctx before VT-d is programmed: exit 0" 0 "$rc"
check_eq "ctx before VT-d is programmed: says the unit is disabled and unprogrammed" 2 \
	"$(grep -cE 'translation disabled \(GSTS.TES=0\), no root table set|has not programmed the unit' <<<"$out")"
check_eq "ctx -j: root_table_set false" "false false" \
	"$("$IOMMUDUMP" "${T[@]}" ctx -j | jq -r '"\(.root_table_set) \(.translation_enabled)"')"
out=$("$IOMMUDUMP" "${T[@]}" faults 2>&1); rc=$?
check_eq "faults on a fresh unit: exit 0, nothing recorded" "0 1" "$rc $(grep -c '^no fault recorded' <<<"$out")"
check_status "check on a fresh unit: nothing found (exit 0)" 0 "$IOMMUDUMP" "${T[@]}" check
check_grep "walk with translation off: says the request is not translated" 'translation is off' \
	<("$IOMMUDUMP" "${T[@]}" walk $EDU 0x5000)
check_status "--drhd names the unit" 0 "$IOMMUDUMP" "${T[@]}" --drhd $DRHD faults
check_status "--drhd takes an address" 2 "$IOMMUDUMP" "${T[@]}" --drhd nowhere faults
check_status "unknown command: exit 2" 2 "$IOMMUDUMP" "${T[@]}" frobnicate
check_status "ambiguous prefix (d: dump, diff): exit 2" 2 "$IOMMUDUMP" "${T[@]}" d
check_status "prefix: 'fa' is faults" 0 "$IOMMUDUMP" "${T[@]}" fa
check_grep "COMMAND --help" '^Usage: iommudump walk BDF IOVA' <("$IOMMUDUMP" walk --help)
check_grep "help COMMAND" '^Usage: iommudump check' <("$IOMMUDUMP" help check)

# ---- tables written into guest RAM, legacy mode ----
#   root 0x10000000 -> context table 0x10001000
#   00:01.0 (edu): domain 5, 39-bit;  00:01.1: same table, domain 6, FPD=1
#   L3 0x10002000 -> L2 0x10003000 -> L1 0x10004000
#     0x5000 RW -> 0x10100000, 0x6000 R -> 0x10101000, 0x7000 W -> 0x10102000,
#     0x9000 RW -> 0x10105000 with a reserved bit (45), 0x200000 2M RW -> 0x10200000
cat >"$TMP/tables.set" <<SET
set {unsigned long long}0x10100000 = 0x214b4f4742445450
set {unsigned long long}0x10000000 = 0x10001001
set {unsigned long long}0x10001080 = 0x10002001
set {unsigned long long}0x10001088 = 0x501
set {unsigned long long}0x10001090 = 0x10002003
set {unsigned long long}0x10001098 = 0x601
set {unsigned long long}0x10002000 = 0x10003003
set {unsigned long long}0x10003000 = 0x10004003
set {unsigned long long}0x10003008 = 0x10200083
set {unsigned long long}0x10004028 = 0x10100003
set {unsigned long long}0x10004030 = 0x10101001
set {unsigned long long}0x10004038 = 0x10102002
set {unsigned long long}0x10004048 = 0x200010105003
set {unsigned int}($DRHD+0x20) = 0x10000000
set {unsigned int}($DRHD+0x24) = 0
set {unsigned int}($DRHD+0x18) = 0x40000000
set {unsigned int}($DRHD+0x18) = 0x80000000
set {unsigned short}($ECAM+0x8004) = 0x0006
SET
gdb_set "$port" "$TMP/tables.set"
edu_dma "$port" 0x5000 0x40000 8 1        # read through a 4K page
edu_dma "$port" 0x40000 0x7000 8 3        # write through a write-only page
edu_dma "$port" 0x201000 0x40100 16 1     # read through the 2M page
edu_dma "$port" 0x40000 0x6000 8 3        # write to a read-only page: fault 0x5

check_grep "QEMU translated the edu's DMA through the tables" '^vtd_dmar_translate dev 00:01' "$trace"
trace_matches_walk "legacy" "$trace" -k "$KERNEL"
trace_matches_walk "legacy, --region off" "$trace" --region off

j=$("$IOMMUDUMP" "${T[@]}" faults -j)
check_eq "faults: the record QEMU made: 00:01.0 write 0x6000 reason 5" "00:01.0 write 0x0000000000006000 5 true" \
	"$(jq -r '.faults.records[0] | "\(.bdf) \(.access) \(.iova) \(.fault_reason) \(.fault)"' <<<"$j")"
check_grep "faults: the reason's meaning" 'reason 0x05 write without write permission' <("$IOMMUDUMP" "${T[@]}" faults)
check_eq "walk --write 0x6000 stops with the reason QEMU recorded" "5 false" \
	"$("$IOMMUDUMP" "${T[@]}" walk $EDU 0x6000 --write -j | jq -r '"\(.translation.fault_reason) \(.translation.translated)"')"
check_eq "walk 0x9000: reserved bit in the leaf, reason 0xc" 12 \
	"$("$IOMMUDUMP" "${T[@]}" walk $EDU 0x9000 -j | jq -r .translation.fault_reason)"
check_eq "walk 0x8000: not present, reason 0x6" 6 \
	"$("$IOMMUDUMP" "${T[@]}" walk $EDU 0x8000 -j | jq -r .translation.fault_reason)"
check_eq "walk on a device without context: reason 0x2" 2 \
	"$("$IOMMUDUMP" "${T[@]}" walk 00:02.0 0x5000 -j | jq -r .translation.fault_reason)"

j=$("$IOMMUDUMP" "${T[@]}" ctx -j)
check_eq "ctx: two present contexts on bus 0" "2" "$(jq '[.tables.buses[0].contexts[] | select(.present)] | length' <<<"$j")"
out=$("$IOMMUDUMP" "${T[@]}" ctx $EDU)
check_grep "ctx BDF: the context entry decoded (P, TT, AW, DID)" 'P TT=0 SLPTPTR=0x10002000 AW=1 .*DID=5' <(echo "$out")
check_grep "ctx: FPD of 00:01.1" 'FPD' <("$IOMMUDUMP" "${T[@]}" ctx 00:01.1)

"$IOMMUDUMP" "${T[@]}" dump $EDU >"$TMP/dump"
check_grep "dump: the 4K RW page" '^0x000000005000-0x000000005fff -> 0x000010100000 +1 4K R W' "$TMP/dump"
check_grep "dump: the write-only page" '^0x000000007000-0x000000007fff -> 0x000010102000 +1 4K - W' "$TMP/dump"
check_grep "dump: the 2M page" '^0x000000200000-0x0000003fffff -> 0x000010200000 +1 2M R W' "$TMP/dump"
check_grep "dump: the reserved-bit entry is flagged" 'reserved bits set' "$TMP/dump"
check_eq "dump --range -j: only the range" 2 \
	"$("$IOMMUDUMP" "${T[@]}" dump $EDU --range 0x5000-0x7000 -j | jq '.mappings | length')"

out=$("$IOMMUDUMP" "${T[@]}" check 2>&1); rc=$?
check_eq "check: exit 1 with findings" 1 "$rc"
kinds=$("$IOMMUDUMP" "${T[@]}" check -j | jq -r '[.[].kind] | unique | join(",")')
check_eq "check: the expected kinds" "fault-pending,fpd-set,reserved-bits" "$kinds"
check_grep "check: fault-pending decoded" 'fault-pending .*\[00:01.0\] .*write at 0x6000: reason 0x05' <(echo "$out")
check_eq "check --kind" "fpd-set" "$("$IOMMUDUMP" "${T[@]}" check --kind fpd-set -j | jq -r '.[].kind')"
check_eq "check with the region off: same kinds" "$kinds" \
	"$("$IOMMUDUMP" -t "$VM_TARGET" --region off check -j | jq -r '[.[].kind] | unique | join(",")')"

check_status "save" 0 "$IOMMUDUMP" "${T[@]}" save "$TMP/a.snap"
check_status "diff against the live VM: no change (exit 0)" 0 "$IOMMUDUMP" "${T[@]}" diff "$TMP/a.snap"
echo 'set {unsigned long long}0x10004038 = 0' >"$TMP/unmap.set"
gdb_set "$port" "$TMP/unmap.set"
out=$("$IOMMUDUMP" "${T[@]}" diff "$TMP/a.snap"); rc=$?
check_eq "diff after unmapping 0x7000: exit 1" 1 "$rc"
check_grep "diff: the removed page, per device" '^- 0*7000-' <(echo "$out")
"$IOMMUDUMP" "${T[@]}" save "$TMP/b.snap" >/dev/null
check_eq "diff A B -j: one change in each of the two domains" "1 1" \
	"$("$IOMMUDUMP" diff "$TMP/a.snap" "$TMP/b.snap" -j | jq -r '[.[].changes | length] | join(" ")')"
check_status "ptdump diff refuses a VT-d snapshot" 2 "$PTDUMP" diff "$TMP/a.snap" "$TMP/b.snap"
vm_stop iod-default

# ---- scalable mode: PASID directory and table, PGTT second-level ----
trace_sm=$TMP/trace-sm.log
if vm_start iod-sm --append iommu=off --qemu-args "-global intel-iommu.x-scalable-mode=on -trace vtd_dmar_translate,file=$trace_sm"; then
	cat >"$TMP/sm.set" <<SET
set {unsigned long long}0x10100000 = 0x214b4f4742445450
set {unsigned long long}0x10000000 = 0x10001001
set {unsigned long long}0x10001100 = 0x10005001
set {unsigned long long}0x10005000 = 0x10006001
set {unsigned long long}0x10006000 = 0x10002085
set {unsigned long long}0x10006008 = 7
set {unsigned long long}0x10002000 = 0x10003003
set {unsigned long long}0x10003000 = 0x10004003
set {unsigned long long}0x10004028 = 0x10100003
set {unsigned long long}0x10004030 = 0x10101001
set {unsigned int}($DRHD+0x20) = 0x10000400
set {unsigned int}($DRHD+0x24) = 0
set {unsigned int}($DRHD+0x18) = 0x40000000
set {unsigned int}($DRHD+0x18) = 0x80000000
set {unsigned short}($ECAM+0x8004) = 0x0006
SET
	gdb_set "$VM_PORT" "$TMP/sm.set"
	edu_dma "$VM_PORT" 0x5000 0x40000 8 1
	edu_dma "$VM_PORT" 0x40000 0x6000 8 3
	trace_matches_walk "scalable" "$trace_sm" -k "$KERNEL"
	out=$("$IOMMUDUMP" -t "$VM_TARGET" ctx $EDU)
	check_grep "scalable ctx: PASID table entry, PGTT second-level, DID 7" 'PASID table entry.*|P AW=1 PGTT=2 SLPTPTR=0x10002000 DID=7' <(echo "$out")
	check_grep "scalable ctx: the PASID directory entry" 'PASID directory entry' <(echo "$out")
	rec=$("$IOMMUDUMP" -t "$VM_TARGET" faults -j | jq -r '.faults.records[0] | "\(.fault_reason) \(.pasid_present)"')
	walk=$("$IOMMUDUMP" -t "$VM_TARGET" walk $EDU 0x6000 --write -j | jq -r .translation.fault_reason)
	check_eq "scalable: walk gives the reason QEMU 7.2 recorded" "${rec%% *}" "$walk"
	check_eq "scalable: --fault-codes spec gives the specification's 0x85" 133 \
		"$("$IOMMUDUMP" -t "$VM_TARGET" --fault-codes spec walk $EDU 0x6000 --write -j | jq -r .translation.fault_reason)"
else
	not_ok "scalable-mode VM boots"
fi
vm_stop iod-sm

# ---- the region switched off in the guest ----
if vm_start iod-noregion --append ptdbg=off; then
	for c in regs faults ctx check "walk $EDU 0x1000"; do
		check_status "ptdbg=off: $c works" 0 "$IOMMUDUMP" -t "$VM_TARGET" $c
	done
	check_status "ptdbg=off: bufs needs the region (exit 2)" 2 "$IOMMUDUMP" -t "$VM_TARGET" bufs
else
	not_ok "default boots with ptdbg=off"
fi
vm_stop iod-noregion

# ---- the kernel's own VT-d scenarios (shared/BUGS.md 1), when the kernel has them ----
# The kernel's own DMA through the edu device, in every mode the kernel supports:
# every translation QEMU performed is the one iommudump walks to; nothing to report.
for mode in legacy scalable aw48; do
	case $mode in
	legacy) qa="" ;;
	scalable) qa="-global intel-iommu.x-scalable-mode=on" ;;
	aw48) qa="-global intel-iommu.aw-bits=48" ;;
	esac
	tr=$TMP/trace-dma-$mode.log
	if vm_start iod-dma-$mode --scenario dma --qemu-args "$qa -trace vtd_dmar_translate,file=$tr"; then
		check_status "dma ($mode): check finds nothing" 0 "$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" check
		trace_matches_walk "dma ($mode)" "$tr" -k "$KERNEL"
		trace_matches_walk "dma ($mode), --region off" "$tr" --region off
		n=$("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" bufs -j | jq '.dma_bufs | length' 2>/dev/null)
		[ "${n:-0}" -gt 0 ] && ok "dma ($mode): bufs lists the kernel's $n DMA buffers" ||
			not_ok "dma ($mode): bufs lists the kernel's DMA buffers" "$("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" bufs -j | head -c 400)"
		# the context entry the region names (ABI 1.4): the one the root entry leads to
		ke=$("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" bufs -j | jq -r --arg b $EDU '.domains[] | select(.bdf == $b) | .context_entry')
		le=$("$IOMMUDUMP" -t "$VM_TARGET" --region off ctx $EDU -j | jq -r '.lookup.context_entry.pa')
		check_eq "dma ($mode): the region's context entry is where the root entry leads" "$((${le:-0}))" "$((${ke:-1}))"
		[ $mode = aw48 ] && check_grep "dma (aw48): the context uses a 4-level, 48-bit table" '(AW=2|48-bit|4-level)' \
			<("$IOMMUDUMP" -t "$VM_TARGET" ctx $EDU)
		if [ $mode = legacy ]; then
			# the RSDP the kernel logged: from the region (ABI 1.3), and without it
			# where the BIOS search finds it, for fewer bytes with the region
			kr=$(sed -n 's/.*ptdbg: acpi: rsdp \(0x[0-9a-f]*\) rev.*/\1/p' "$VM_LOG" | head -1)
			read -r ra rh <<<"$("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" regs --dmar -j | jq -r '"\(.dmar.rsdp) \(.dmar.rsdp_found_by)"')"
			read -r ba bh <<<"$("$IOMMUDUMP" -t "$VM_TARGET" --region off regs --dmar -j | jq -r '"\(.dmar.rsdp) \(.dmar.rsdp_found_by)"')"
			check_eq "dma: the RSDP the kernel logged ($kr), from the debug region" "$((${kr:-1})) debug region" "$((${ra:-0})) $rh"
			check_eq "dma, --region off: the same RSDP, found in the BIOS area" "$((${kr:-1})) BIOS area" "$((${ba:-0})) $bh"
			# the DMAR the kernel logged: named by the region (ABI 1.4), the one
			# the RSDT lists; the table commands read it with the region's arrays
			kd=$(sed -n 's/.*ptdbg: acpi: rsdp .* dmar \(0x[0-9a-f]*\)$/\1/p' "$VM_LOG" | head -1)
			rd=$("$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" region -j | jq -r '.acpi_iommu_table // "0"')
			ld=$("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" regs --dmar -j | jq -r '.dmar.dmar')
			check_eq "dma: the DMAR the kernel logged ($kd), named by the region and listed by the RSDT" \
				"$((${kd:-1})) $((${kd:-1}))" "$((rd)) $((${ld:-0}))"
			check_grep "dma: dump finds its VT-d unit through the DMAR the region names" "^device $EDU" \
				<("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" dump $EDU)
			read_bytes() { "$IOMMUDUMP" --no-fast-path -v -t "$VM_TARGET" "$@" regs 2>&1 >/dev/null | sed -n 's/.* served \([0-9]*\) bytes.*/\1/p' | tail -1; }
			wr=$(read_bytes -k "$KERNEL") nr=$(read_bytes --region off)
			[ "${wr:-0}" -gt 0 ] && [ $((nr - wr)) -ge 65536 ] && ok "dma: regs reads $wr bytes with the region's RSDP, $nr without" ||
				not_ok "dma: regs reads 64 KiB less with the region's RSDP" "with $wr, without $nr"
		fi
	else
		not_ok "dma ($mode) boots to ready"
	fi
	vm_stop iod-dma-$mode
done

# dma-high: the seed bug (shared/BUGS.md 1) post mortem, and its fix
vm_start iod-dma-high --scenario dma-high --bug dma-window-4g --mem 10G
check_eq "dma-high bug=dma-window-4g: the kernel panics (vm start exits 3)" 3 "$VM_STATUS"
kinds=$("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" check -j | jq -r '[.[].kind] | unique | join(",")')
check_grep "dma-high with the bug: window-narrower-than-aw" 'window-narrower-than-aw' <(echo "$kinds")
check_grep "dma-high with the bug: dma-out-of-range" 'dma-out-of-range' <(echo "$kinds")
check_grep "dma-high with the bug: the buffer at 8 GiB is listed as refused" '0x0000000200000000 .*refused' \
	<("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" bufs)
check_grep "dma-high with the bug: bufs shows the panic" 'panicked: .*InvalidVaddrRange\(0x200000000, 0x200001000\)' \
	<("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" bufs)
vm_stop iod-dma-high
tr=$TMP/trace-high.log
if vm_start iod-dma-high-ok --scenario dma-high --mem 10G --qemu-args "-trace vtd_dmar_translate,file=$tr"; then
	check_status "dma-high fixed: check finds nothing" 0 "$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" check
	trace_matches_walk "dma-high fixed" "$tr" -k "$KERNEL"
	check_grep "dma-high fixed: QEMU translated the buffer at 8 GiB" 'iova 0x200000000 -> gpa 0x200000000' "$tr"
else
	not_ok "dma-high without the bug boots to ready"
fi
vm_stop iod-dma-high-ok

# dma-fault: a real VT-d fault recorded by QEMU, and a context with FPD=1
tr=$TMP/trace-fault.log
vm_start iod-dma-fault --scenario dma-fault --qemu-args "-trace vtd_dmar_fault,file=$tr"
out=$("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" faults)
check_grep "dma-fault: faults decodes the fault QEMU recorded" '^record [0-9]+: FAULT ' <(echo "$out")
qaddr=$(sed -n 's/.*vtd_dmar_fault sid 0x[0-9a-f]* fault [0-9]* addr \(0x[0-9a-f]*\).*/\1/p' "$tr" | head -1)
if [ -n "$qaddr" ] && grep -qi "$(printf '%x' $((qaddr)))" <<<"$out"; then
	ok "dma-fault: the recorded address is the one QEMU's trace logged ($qaddr)"
else
	not_ok "dma-fault: the recorded address is the one QEMU's trace logged" "trace: $(head -2 "$tr")" "$out"
fi
kinds=$("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" check -j | jq -r '[.[].kind] | unique | join(",")')
check_grep "dma-fault: check reports fault-pending" 'fault-pending' <(echo "$kinds")
check_grep "dma-fault: check reports fpd-set" 'fpd-set' <(echo "$kinds")
vm_stop iod-dma-fault
