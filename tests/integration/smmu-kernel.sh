#!/usr/bin/env bash
# The AArch64 kernel's SMMUv3 driver and DMA scenarios, proven with oracles nobody
# here wrote: QEMU's own SMMU trace events (smmuv3_translate_success for every DMA
# the edu device performed, smmuv3_record_event for every fault the SMMU recorded)
# and the SMMU's registers read through the QEMU monitor (xp).
. "$(dirname "$0")/../lib.sh"

A64_KERNEL=$BUILD/kernel-aarch64.elf
A64=(--arch aarch64)
GDB=gdb-multiarch
SMMU=0x09050000

if [ ! -f "$A64_KERNEL" ] || ! command -v qemu-system-aarch64 >/dev/null || ! command -v "$GDB" >/dev/null; then
	not_ok "AArch64 kernel, qemu-system-aarch64 and gdb-multiarch present" \
		"kernel: $A64_KERNEL; run scripts/deps.sh and make"
	exit 0
fi

# a64_gdb PORT GDB-COMMAND...: run the commands against the VM, symbols loaded.
a64_gdb() {
	local port=$1; shift
	local -a ex=()
	local c
	for c in "$@"; do ex+=(-ex "$c"); done
	timeout 30 "$GDB" -nx -batch -ex 'set pagination off' -ex "set remotetimeout 30" -ex "target remote 127.0.0.1:$port" \
		"${ex[@]}" -ex detach "$A64_KERNEL" 2>&1
}
# vals PORT EXPR...: the values gdb prints (p/x) for each EXPR, one a line.
vals() {
	local port=$1; shift
	local -a c=()
	local e
	for e in "$@"; do c+=("p/x $e"); done
	a64_gdb "$port" "${c[@]}" | sed -n 's/^\$[0-9]* = //p'
}
# xp PORT FMT ADDR: the values of the monitor's "xp /FMT ADDR", one a line, as 0x...
xp() {
	a64_gdb "$1" "monitor xp /$2 $3" | tr -d '\r' | sed -n 's/^[0-9a-f]*: *//p' | tr ' ' '\n' |
		sed '/^$/d' | while read -r v; do printf '0x%x\n' "$v"; done
}
hex() { printf '0x%x' "$(($1))"; }

# trace_check NAME LOG TRACE: every DMA the kernel logged was translated by QEMU's
# SMMU to the physical address the kernel intended, and every translation QEMU
# performed is of a buffer the kernel mapped (IOVA = PA).
trace_check() {
	local name=$1 log=$2 trace=$3
	# the kernel's transfers: "from IOVA X (PA Y)" and "to IOVA X (PA Y)"
	local want got bad=""
	want=$(grep -o 'IOVA 0x[0-9a-f]* (PA 0x[0-9a-f]*)' "$log" | sed 's/IOVA \(0x[0-9a-f]*\) (PA \(0x[0-9a-f]*\))/\1 \2/' | sort -u)
	got=$(sed -n 's/^smmuv3_translate_success .* sid=\(0x[0-9a-f]*\) iova=\(0x[0-9a-f]*\) translated=\(0x[0-9a-f]*\).*/\2 \3/p' "$trace" | sort -u)
	if [ -z "$want" ]; then
		not_ok "$name: the kernel logged its transfers" "no 'IOVA .. (PA ..)' line in $log"
		return
	fi
	local iova pa
	while read -r iova pa; do
		grep -qx "$iova $pa" <<<"$got" || bad+="kernel DMA at IOVA $iova (PA $pa): no smmuv3_translate_success to it"$'\n'
	done <<<"$want"
	local mapped
	mapped=$(sed -n 's/.*dma: mapped IOVA \(0x[0-9a-f]*\) -> PA \(0x[0-9a-f]*\) (\([0-9]*\) bytes.*/\1 \2 \3/p' "$log")
	while read -r iova pa; do
		[ "$iova" = "$pa" ] || bad+="QEMU translated IOVA $iova to $pa, not the identity"$'\n'
		local in=0 mi mp ml
		while read -r mi mp ml; do
			(( iova >= mi && iova < mi + ml )) && in=1
		done <<<"$mapped"
		[ $in = 1 ] || bad+="QEMU translated IOVA $iova, which no dma_map call mapped"$'\n'
	done <<<"$got"
	if [ -z "$bad" ]; then
		ok "$name: $(wc -l <<<"$got") translations in QEMU's trace are the kernel's $(wc -l <<<"$want") transfers, IOVA = PA"
	else
		not_ok "$name: QEMU's SMMU translated the kernel's DMA as intended" "$bad"
	fi
}

# regs_check NAME PORT: the region's SMMU fields are what the SMMU's registers hold.
regs_check() {
	local name=$1 port=$2
	local -a r m
	mapfile -t r < <(vals "$port" ptdbg_region.smmu.base ptdbg_region.smmu.strtab_base \
		ptdbg_region.smmu.strtab_cfg ptdbg_region.smmu.cmdq_base ptdbg_region.smmu.eventq_base \
		ptdbg_region.iommu_kind)
	check_eq "$name: region: SMMUv3 unit (kind 2) at $SMMU" "$(hex $SMMU) 0x2" "${r[0]} ${r[5]}"
	mapfile -t m < <(xp "$port" 1gx $((SMMU + 0x80)); xp "$port" 1wx $((SMMU + 0x88));
		xp "$port" 1gx $((SMMU + 0x90)); xp "$port" 1gx $((SMMU + 0xa0)); xp "$port" 1wx $((SMMU + 0x24)))
	check_eq "$name: STRTAB_BASE, STRTAB_BASE_CFG, CMDQ_BASE, EVENTQ_BASE (monitor xp) = the region's" \
		"${r[1]} ${r[2]} ${r[3]} ${r[4]}" "${m[0]:-} ${m[1]:-} ${m[2]:-} ${m[3]:-}"
	check_eq "$name: CR0ACK (monitor xp): SMMUEN, EVENTQEN and CMDQEN on" "0xd" "${m[4]:-}"
	# the edu's STE (stream 0x10) points at the domain's CD, the CD at its table
	local -a d
	mapfile -t d < <(vals "$port" ptdbg_region.iommu.domains.count "'region.c'::domains[0].sid" "'region.c'::domains[0].cd" \
		"'region.c'::domains[0].root" "'region.c'::domains[0].asid" ptdbg_region.smmu.strtab_fmt)
	check_eq "$name: region: the edu's domain is stream 0x10, ASID 1" "0x10 0x1" "${d[1]:-} ${d[4]:-}"
	local ste
	if [ "${d[5]:-}" = 0x1 ]; then
		# two-level: level-1 descriptor 0 (stream ids 0..255) points at the level-2 table
		local l1
		l1=$(xp "$port" 1gx "$(( ${r[1]} & 0xffffffffffc0 ))")
		ste=$(( (l1 & 0xffffffffffc0) + 0x10 * 64 ))
	else
		ste=$(( (${r[1]} & 0xffffffffffc0) + 0x10 * 64 ))
	fi
	local ste0 cd0 cd1
	ste0=$(xp "$port" 1gx "$ste")
	check_eq "$name: STE 0x10 (monitor xp): valid, stage 1 (Config 5), S1ContextPtr = the region's CD" \
		"0x1 0x5 ${d[2]:-}" "$(hex "${ste0:-0} & 1") $(hex "(${ste0:-0} >> 1) & 7") $(hex "${ste0:-0} & 0xffffffffffc0")"
	mapfile -t cd < <(xp "$port" 2gx "${d[2]:-0}")
	cd0=${cd[0]:-0} cd1=${cd[1]:-0}
	check_eq "$name: CD (monitor xp): V, AA64, T0SZ 25, ASID, TTB0 = the region's table root" \
		"0x1 0x1 0x19 ${d[4]:-} ${d[3]:-}" \
		"$(hex "(cd0 >> 31) & 1") $(hex "(cd0 >> 41) & 1") $(hex "cd0 & 0x3f") $(hex "(cd0 >> 48) & 0xffff") $(hex "cd1 & 0xfffffffffff0")"
}

# --- dma: each stream-table format and granule ---------------------------------------
for cfg in "linear 4k" "2lvl 4k" "linear 64k" "2lvl 16k"; do
	read -r st gr <<<"$cfg"
	name="dma $st/$gr"
	vm=a64-smmu-$st-$gr
	trace=$TMP/$vm.trace
	if vm_start "$vm" "${A64[@]}" --scenario dma --append "strtab=$st granule=$gr" \
		--qemu-args "-trace smmuv3_translate_success,file=$trace"; then
		ok "$name: boots to ready"
		check_grep "$name: the SMMU is enabled with a $st stream table" \
			"smmu: enabled: $([ $st = 2lvl ] && echo two-level || echo linear) stream table" "$VM_LOG"
		check_grep "$name: the round trips verified their pattern" 'pattern verified' "$VM_LOG"
		[ "$gr" = 4k ] && regs_check "$name" "$VM_PORT"
		vm_stop "$vm" # QEMU writes the trace out as it exits
		trace_check "$name" "$VM_LOG" "$trace"
	else
		not_ok "$name: boots to ready" "$(tail -n 20 "$VM_LOG" 2>/dev/null)"
	fi
done

# --- dma-high: the seed's buffer at 8 GiB, fixed ---------------------------------------
trace=$TMP/high.trace
if vm_start a64-smmu-high "${A64[@]}" --scenario dma-high --mem 10G \
	--qemu-args "-trace smmuv3_translate_success,file=$trace"; then
	ok "dma-high: boots to ready with a window of 2^39"
	check_grep "dma-high: the buffer at 8 GiB is mapped" 'dma: mapped IOVA 0x200000000 -> PA 0x200000000' "$VM_LOG"
	vm_stop a64-smmu-high
	check_grep "dma-high: QEMU's SMMU translated the device's write to 8 GiB" \
		'smmuv3_translate_success .*sid=0x10 iova=0x200000000 translated=0x200000000' "$trace"
	trace_check "dma-high" "$VM_LOG" "$trace"
else
	not_ok "dma-high: boots to ready" "$(tail -n 20 "$VM_LOG" 2>/dev/null)"
fi

# --- dma-high bug=dma-window-4g: the seed's panic, the region intact --------------------
vm_start a64-smmu-high-bug "${A64[@]}" --scenario dma-high --bug dma-window-4g --mem 10G
check_eq "dma-high bug=dma-window-4g: scripts/vm reports the panic (exit 3)" 3 "$VM_STATUS"
check_grep "dma-high bug=dma-window-4g: the seed's message" \
	'panic: called `Result::unwrap\(\)` on an `Err` value: InvalidVaddrRange\(0x200000000, 0x200001000\)' "$VM_LOG"
if [ "$VM_STATUS" = 3 ]; then
	mapfile -t v < <(vals "$VM_PORT" 'ptdbg_region.flags & 1' 'ptdbg_region.generation % 2' \
		"'region.c'::domains[0].win_end" "'region.c'::dma_bufs[0].iova" "'region.c'::dma_bufs[0].status")
	check_eq "dma-high bug=dma-window-4g: region panicked, consistent, window 4 GiB, buffer 8 GiB refused (2)" \
		"0x1 0x0 0x100000000 0x200000000 0x2" "${v[*]}"
	check "dma-high bug=dma-window-4g: the panic record holds the message" \
		grep -q 'InvalidVaddrRange(0x200000000, 0x200001000)' <<<"$(a64_gdb "$VM_PORT" 'p ptdbg_region.panic.msg')"
fi
vm_stop a64-smmu-high-bug

# --- dma-fault: an event the SMMU recorded, a stream whose CD does not record -----------
trace=$TMP/fault.trace
if vm_start a64-smmu-fault "${A64[@]}" --scenario dma-fault \
	--qemu-args "-trace smmuv3_record_event,file=$trace"; then
	ok "dma-fault: boots to ready"
	n=$(sed -n 's/.*event queue: \([0-9]*\) record(s) pending.*/\1/p' "$VM_LOG" | tail -n 1)
	fa=$(sed -n 's/.*dma-fault: edu 00:02.0 writes IOVA \(0x[0-9a-f]*\).*/\1/p' "$VM_LOG")
	check_grep "dma-fault: the kernel read an F_TRANSLATION event of stream 0x10 at the unmapped IOVA" \
		"event 0: F_TRANSLATION \(0x10\) stream 0x10 write at $fa" "$VM_LOG"
	mapfile -t v < <(vals "$VM_PORT" "'region.c'::domains[1].sid" "'region.c'::domains[1].flags" "'region.c'::domains[0].flags")
	check_eq "dma-fault: region: stream 0x18's CD has R=0 (flag 2), stream 0x10's records" "0x18 0x2 0x0" "${v[*]}"
	cd1=$(vals "$VM_PORT" "'region.c'::domains[1].cd")
	cd0=$(xp "$VM_PORT" 1gx "$cd1")
	check_eq "dma-fault: stream 0x18's CD (monitor xp): R=0, A=1" "0x0 0x1" \
		"$(hex "(${cd0:-0} >> 45) & 1") $(hex "(${cd0:-0} >> 46) & 1")"
	prod=$(xp "$VM_PORT" 1wx $((SMMU + 0x100a8)))
	check_eq "dma-fault: EVENTQ_PROD (monitor xp) = the records the kernel saw pending" "$(hex "${n:-0}")" "${prod:-}"
	vm_stop a64-smmu-fault
	got=$(grep -c '^smmuv3_record_event SMMU_EVT_F_TRANSLATION sid=0x10' "$trace")
	check_eq "dma-fault: QEMU's smmuv3_record_event logged the kernel's ${n:-?} events, all F_TRANSLATION of stream 0x10" \
		"${n:-x} ${n:-x}" "$got $(grep -c '^smmuv3_record_event' "$trace")"
	check_grep "dma-fault: the R=0 stream's write was blocked too" 'blocked the write of edu 00:03.0 too, but CD.R=0 hid the fault' "$VM_LOG"
else
	not_ok "dma-fault: boots to ready" "$(tail -n 20 "$VM_LOG" 2>/dev/null)"
fi

# --- default: the DMA round trips when the machine has the SMMU ---------------------------
if vm_start a64-smmu-default "${A64[@]}" --smmu on; then
	check_grep "default with the SMMU: the DMA round trips of dma" 'dma: .* pattern verified' "$VM_LOG"
else
	not_ok "default with the SMMU boots to ready" "$(tail -n 20 "$VM_LOG" 2>/dev/null)"
fi
vm_stop a64-smmu-default
