#!/usr/bin/env bash
# iommudump against QEMU 7.2's SMMUv3 on the AArch64 kernel: registers, stream
# tables, context descriptors, walks, dumps, faults, checks, snapshots, the gdb
# commands. Oracles nobody here wrote: QEMU's smmuv3_translate_success trace for every
# DMA the edu device performed, smmuv3_record_event for every event the SMMU
# recorded, and the SMMU's registers and tables read through QEMU's monitor (xp).
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
export PTDBG_TOP=$TOP

hex() { printf '0x%x' "$(($1))"; }
# mon CMD: a QEMU monitor command through the gdbstub.
mon() { "$PTDUMP" -t "$VM_TARGET" monitor "$1" 2>&1 | tr -d '\r'; }
# xp FMT ADDR: the values of the monitor's "xp /FMT ADDR", one a line, as 0x...
xp() {
	mon "xp /$1 $2" | sed -n 's/^[0-9a-f]*: *//p' | tr ' ' '\n' | sed '/^$/d' |
		while read -r v; do printf '0x%x\n' "$v"; done
}
iod() { "$IOMMUDUMP" -t "$VM_TARGET" "$@"; }
# vtd_snap FILE: an empty VT-d snapshot, written by the file format's definition
# (tools/lib/out/snapshot.h): header, no space, CRC-32 trailer.
vtd_snap() {
	python3 -c 'import struct, sys, time, zlib
b = b"PTDBGSNP" + struct.pack("<IIIIQ", 1, 32, 0, 2, int(time.time()))
open(sys.argv[1], "wb").write(b + struct.pack("<I", zlib.crc32(b)) + b"PTDBGEND")' "$1"
}

# trace_matches_walk NAME TRACE LOG ARGS...: every translation in QEMU's trace is what
# `iommudump ARGS walk` gives now, the PA QEMU translated to; an IOVA the kernel has
# unmapped since (its log says so) does not translate now.
trace_matches_walk() {
	local name=$1 trace=$2 log=$3; shift 3
	mon "trace-file flush" >/dev/null
	local n=0 gone=0 bad=() sid iova gpa perm got unmapped
	unmapped=$(sed -n 's/.*dma: unmapped IOVA \(0x[0-9a-f]*\).*/\1/p' "$log")
	while read -r sid iova gpa perm; do
		n=$((n + 1))
		local w=()
		(( perm & 2 )) && w=(--write)
		got=$(iod "$@" walk "$sid" "$iova" "${w[@]}" -j | jq -r '.translation.pa // "none"')
		local was_unmapped=0 u
		for u in $unmapped; do (( (iova & ~0xfff) == (u & ~0xfff) )) && was_unmapped=1; done
		if [ $was_unmapped = 1 ]; then
			[ "$got" = none ] && gone=$((gone + 1)) || bad+=("$sid $iova: unmapped by the kernel, yet iommudump walks to $got")
		elif [ "$got" = none ] || [ $((got)) -ne $((gpa)) ]; then
			bad+=("$sid $iova: QEMU $gpa, iommudump $got")
		fi
	done < <(sed -n 's/^smmuv3_translate_success .* sid=\(0x[0-9a-f]*\) iova=\(0x[0-9a-f]*\) translated=\(0x[0-9a-f]*\) perm=\(0x[0-9a-f]*\).*/\1 \2 \3 \4/p' "$trace" | sort -u)
	if [ "$n" -gt 0 ] && [ ${#bad[@]} -eq 0 ]; then
		ok "$name: $n translations QEMU performed, iommudump walk agrees ($gone unmapped since, and not translated now)"
	else not_ok "$name: iommudump walk agrees with QEMU's translations" "events: $n" "${bad[@]}"; fi
}

# tables_check NAME FMT GRANULE ARGS...: the stream table and the edu's STE and CD as
# iommudump decodes them are what the monitor reads (xp) from the SMMU and memory.
tables_check() {
	local name=$1 fmt=$2 gran=$3; shift 3
	local -a m
	mapfile -t m < <(xp 1gx $((SMMU + 0x80)); xp 1wx $((SMMU + 0x88)); xp 1wx $((SMMU + 0x24)); xp 1wx $((SMMU + 0x0)))
	local j
	j=$(iod "$@" regs -j)
	check_eq "$name: regs: STRTAB_BASE, STRTAB_BASE_CFG, CR0ACK, IDR0 = the monitor's" \
		"${m[0]:-} ${m[1]:-} ${m[2]:-} ${m[3]:-}" \
		"$(jq -r '[.unit.registers[] | select(.name=="STRTAB_BASE" or .name=="STRTAB_BASE_CFG" or .name=="CR0ACK" or .name=="IDR0") | {(.name): .value}] | add | "\(.STRTAB_BASE) \(.STRTAB_BASE_CFG) \(.CR0ACK) \(.IDR0)"' <<<"$j" |
		  while read -r a b c d; do echo "$(hex "$a") $(hex "$b") $(hex "$c") $(hex "$d")"; done)"
	local base=$(( ${m[0]:-0} & 0xffffffffffc0 )) ste
	if [ "$fmt" = 2lvl ]; then
		local l1
		l1=$(xp 1gx "$base")
		ste=$(( (l1 & 0xffffffffffc0) + 0x10 * 64 ))
	else
		ste=$(( base + 0x10 * 64 ))
	fi
	local -a sw
	mapfile -t sw < <(xp 1gx "$ste")
	local cdp=$(( ${sw[0]:-0} & 0xffffffffffc0 ))
	local -a cw
	mapfile -t cw < <(xp 2gx "$cdp")
	j=$(iod "$@" ctx 0x10 -j)
	check_eq "$name: ctx 0x10: STE at the monitor's address, its dword 0, CD at S1ContextPtr, CD dwords 0-1" \
		"$(hex "$ste") ${sw[0]:-} $(hex "$cdp") ${cw[0]:-} ${cw[1]:-}" \
		"$(jq -r '.lookup | "\(.ste.addr) \(.ste.raw[0]) \(.cd.addr) \(.cd.raw[0]) \(.cd.raw[1])"' <<<"$j" |
		  while read -r a b c d e; do echo "$(hex "$a") $(hex "$b") $(hex "$c") $(hex "$d") $(hex "$e")"; done)"
	local tg=$(( (${cw[0]:-0} >> 6) & 3 )) want
	case $gran in 4k) want=0 ;; 64k) want=1 ;; 16k) want=2 ;; esac
	check_eq "$name: the CD's TG0 (monitor) is the $gran granule" "$want" "$tg"
	check_grep "$name: ctx names the stream table format" \
		"stream table at .*: $([ "$fmt" = 2lvl ] && echo 2-level || echo linear)" <(iod "$@" ctx)
	check_grep "$name: dump 0x10 decodes the stage-1 table with the $gran granule" \
		"^# ${gran^^} granule, start level [0-3], root " <(iod "$@" dump 0x10)
}

# ---- dma: linear / 4K, 2lvl / 16K with the region; 2lvl / 64K without it -----------------
for cfg in "linear 4k on" "2lvl 16k on" "2lvl 64k off"; do
	read -r st gr region <<<"$cfg"
	name="dma $st/$gr"
	append="strtab=$st granule=$gr"
	R=(-k "$A64_KERNEL")
	if [ "$region" = off ]; then
		name="$name ptdbg=off"
		append="$append ptdbg=off"
	fi
	vm=iod-a64-$st-$gr
	trace=$TMP/$vm.trace
	if ! vm_start "$vm" "${A64[@]}" --scenario dma --append "$append" \
		--qemu-args "-trace smmuv3_translate_success,file=$trace"; then
		not_ok "$name: boots to ready" "$(tail -n 20 "$VM_LOG" 2>/dev/null)"
		continue
	fi
	trace_matches_walk "$name" "$trace" "$VM_LOG" "${R[@]}"
	tables_check "$name" "$st" "$gr" "${R[@]}"
	check_status "$name: check finds nothing (exit 0)" 0 iod "${R[@]}" check
	if [ "$region" = on ]; then
		trace_matches_walk "$name, --region off" "$trace" "$VM_LOG" --region off
		check_grep "$name: regs: the SMMU from the debug region" '^register base 0x9050000 from debug region' \
			<(iod "${R[@]}" regs)
		check_grep "$name: --region off: the SMMU from the device tree" '^register base 0x9050000 from device tree' \
			<(iod --region off regs)
		check_grep "$name: --smmu ADDR names it" '^register base 0x9050000 from --smmu' <(iod --smmu $SMMU regs)
		j=$(iod "${R[@]}" bufs -j)
		check_eq "$name: bufs: the kernel's buffers, the unmapped one not translated now, the others to their PA" \
			"$(sed -n 's/.*dma: mapped IOVA \(0x[0-9a-f]*\) -> PA.*/\1/p' "$VM_LOG" | while read -r i; do
				if grep -q "unmapped IOVA $i" "$VM_LOG"; then echo "$(hex "$i") unmapped none"; else echo "$(hex "$i") mapped $(hex "$i")"; fi; done)" \
			"$(jq -r '.dma_bufs[] | "\(.iova) \(.status) \(.translated_pa // "none")"' <<<"$j" | while read -r i s p; do
				echo "$(hex "$i") $s $([ "$p" = none ] && echo none || hex "$p")"; done)"
		iod "${R[@]}" save "$TMP/$vm.snap" >/dev/null
		check_status "$name: diff of a snapshot with the live VM: the same (exit 0)" 0 iod "${R[@]}" diff "$TMP/$vm.snap"
		check_grep "$name: the snapshot holds stream 0x10's mappings" '"domains": *1' \
			<(iod "${R[@]}" save "$TMP/$vm-2.snap" -j -p)
		vtd_snap "$TMP/vtd.snap"
		check_status "$name: an SMMU snapshot against a VT-d one is refused (exit 2)" 2 \
			iod diff "$TMP/$vm.snap" "$TMP/vtd.snap"
		check_grep "$name: walk of an IOVA outside every mapping: F_TRANSLATION, recorded" \
			'result: the SMMU raises F_TRANSLATION .*recorded in the event queue' <(iod "${R[@]}" walk 0x10 0x7f00000000)
		check_grep "$name: walk of a stream without an STE: C_BAD_STE" 'C_BAD_STE' <(iod "${R[@]}" walk 0x20 0x1000)
		check_status "$name: walk of a stream beyond the table: exit 0" 0 iod "${R[@]}" walk 0xffff 0x1000
		check_status "$name: --smmu at an address with no SMMU (exit 2)" 2 iod --smmu 0x1000 regs
		check_status "$name: --smmu at RAM (the device tree's page) is no SMMU either (exit 2)" 2 \
			iod --smmu 0x40000000 regs
		check_status "$name: check --kind of another IOMMU's kinds works (exit 0)" 0 iod "${R[@]}" check --kind fpd-set,ste-bypass
		check_status "$name: check --kind no-such-kind (exit 2)" 2 iod "${R[@]}" check --kind no-such-kind
		if [ "$st" = linear ]; then
			# the gdb commands: same output, same exit status, under gdb-multiarch
			for c in "regs" "faults" "ctx" "ctx 0x10" "dump 0x10" "walk 0x10 0x40112000 --write" "check -j" "bufs" \
				"walk 0x20 0x0"; do
				iod -k "$A64_KERNEL" $c >"$TMP/cli.txt" 2>&1; echo "status $?" >>"$TMP/cli.txt"
				: >"$TMP/gdb.txt"
				timeout 60 "$GDB" -nx -batch -ex "set remotetimeout 30" -ex "target remote $VM_TARGET" -x gdb-scripts/ptdbg.gdb \
					-ex "pipe iommu $c | cat >> $TMP/gdb.txt" \
					-ex "pipe printf \"status %d\\n\", \$ptdbg_status | cat >> $TMP/gdb.txt" -ex detach "$A64_KERNEL" \
					>"$TMP/gdb.log" 2>&1
				if cmp -s "$TMP/cli.txt" "$TMP/gdb.txt"; then
					ok "$name: gdb-multiarch 'iommu $c' = iommudump $c ($(($(wc -l <"$TMP/cli.txt") - 1)) lines, $(tail -1 "$TMP/cli.txt"))"
				else
					not_ok "$name: gdb-multiarch 'iommu $c' = iommudump $c" "$(diff "$TMP/cli.txt" "$TMP/gdb.txt" | head -20)" \
						"$(tail -5 "$TMP/gdb.log")"
				fi
			done
		fi
	else
		check_grep "$name: regs: the SMMU from the device tree" '^register base 0x9050000 from device tree' <(iod regs)
		check_status "$name: bufs needs the region (exit 2)" 2 iod bufs
		# the mappings dump shows: exactly the buffers the kernel's log says are mapped now
		want=$(sed -n 's/.*dma: mapped IOVA \(0x[0-9a-f]*\) -> PA \(0x[0-9a-f]*\) (\([0-9]*\) bytes.*/\1 \2 \3/p' "$VM_LOG" |
			while read -r i p l; do grep -q "unmapped IOVA $i" "$VM_LOG" || echo "$(hex "$i") $(hex "$p") $l"; done)
		got=$(iod dump 0x10 -j | jq -r '.tables[].entries[] | select(.type == "range") | "\(.start) \(.pa) \(.size)"' |
			while read -r i p l; do
				# a coalesced range stands for each of its pages' buffers
				pg=$(( l ))
				for b in $(sed -n 's/.*dma: mapped IOVA \(0x[0-9a-f]*\) -> PA.*(\([0-9]*\) bytes.*/\1:\2/p' "$VM_LOG"); do
					bi=${b%%:*} bl=${b##*:}
					(( bi >= i && bi + bl <= i + pg )) && echo "$(hex "$bi") $(hex "$((p + bi - i))") $bl"
				done
			done)
		check_eq "$name: dump 0x10 (no region): the kernel's mapped buffers, each to its PA, nothing else" \
			"$want" "$got"
		check_eq "$name: dump 0x10 (no region): as many bytes mapped as those buffers hold" \
			"$(awk '{ n += $3 } END { print n + 0 }' <<<"$want")" \
			"$(iod dump 0x10 -j | jq '[.tables[].entries[] | select(.type == "range") | .size] | add // 0')"
	fi
	vm_stop "$vm"
done

# ---- dma-fault: the event QEMU recorded, and a stream whose CD hides its faults --------
trace=$TMP/fault.trace
if vm_start iod-a64-fault "${A64[@]}" --scenario dma-fault --qemu-args "-trace smmuv3_record_event,file=$trace"; then
	R=(-k "$A64_KERNEL")
	mon "trace-file flush" >/dev/null
	j=$(iod "${R[@]}" faults -j)
	# QEMU's trace: "smmuv3_record_event SMMU_EVT_F_TRANSLATION sid=0x10"; the address is
	# the one the kernel made the device write (its log)
	qn=$(grep -c '^smmuv3_record_event SMMU_EVT_F_TRANSLATION sid=0x10' "$trace")
	fa=$(sed -n 's/.*dma-fault: edu 00:02.0 writes IOVA \(0x[0-9a-f]*\).*/\1/p' "$VM_LOG")
	check_eq "faults: the event records are QEMU's smmuv3_record_event ones: count, type, stream" \
		"$qn F_TRANSLATION 0x10" \
		"$(jq -r '[.faults.events[]] | "\(length) \(map(.name) | unique | join(",")) \(map(.sid) | unique | map(tostring) | join(","))"' <<<"$j" |
		  awk '{ printf "%s %s 0x%x\n", $1, $2, $3 }')"
	check_eq "faults: the first record's input address is the IOVA the kernel made the device write" \
		"$(hex "${fa:-0}")" "$(hex "$(jq -r '.faults.events[0].input_addr // 0' <<<"$j")")"
	iod "${R[@]}" faults >"$TMP/faults.txt"
	check_grep "faults: text names the event, stream and address" \
		"F_TRANSLATION sid 0x10 input $fa write" "$TMP/faults.txt"
	last=$((qn - 1))
	check_grep "faults: the region names the $qn records' device on one line" \
		"^records 0-$last: stream 0x10 edu 00:02.0 \\(F_TRANSLATION\\)\$" "$TMP/faults.txt"
	check_eq "faults: the event indices line up (one width for the listing)" 1 \
		"$(grep -E '^\[ *[0-9]+\] ' "$TMP/faults.txt" | sed 's/].*//' | awk '{ print length($0) }' | sort -u | wc -l)"
	kinds=$(iod "${R[@]}" check -j | jq -r '[.[].kind] | unique | join(",")')
	check_grep "check: faults-not-recorded (stream 0x18's CD has R=0)" 'faults-not-recorded' <(echo "$kinds")
	check_grep "check: event-pending" 'event-pending' <(echo "$kinds")
	check_status "check: exit 1" 1 iod "${R[@]}" check
	check_grep "walk of the faulting IOVA: F_TRANSLATION at level 3, recorded (as QEMU did)" \
		'result: the SMMU raises F_TRANSLATION .*recorded in the event queue: translation fault at level 3' \
		<(iod "${R[@]}" walk 0x10 "$fa" --write)
	check_grep "walk on stream 0x18: the fault the CD does not record" \
		'result: the SMMU raises F_TRANSLATION .*not recorded: the CD has R=0' <(iod "${R[@]}" walk 0x18 "$fa" --write)
	check_eq "QEMU recorded no event for stream 0x18 (R=0)" 0 "$(grep -c 'sid=0x18' "$trace")"
	check_grep "faults without the region decode the same records" "F_TRANSLATION sid 0x10 input $fa write" \
		<(iod --region off faults)
else
	not_ok "dma-fault: boots to ready" "$(tail -n 20 "$VM_LOG" 2>/dev/null)"
fi
vm_stop iod-a64-fault

# ---- dma-high bug=dma-window-4g: the seed's panic, post mortem -----------------------------
vm_start iod-a64-high-bug "${A64[@]}" --scenario dma-high --bug dma-window-4g --mem 10G
check_eq "dma-high bug=dma-window-4g: the kernel panics (vm start exits 3)" 3 "$VM_STATUS"
if [ "$VM_STATUS" = 3 ]; then
	R=(-k "$A64_KERNEL")
	kinds=$(iod "${R[@]}" check -j | jq -r '[.[].kind] | unique | join(",")')
	check_grep "dma-high with the bug: window-narrower-than-ias" 'window-narrower-than-ias' <(echo "$kinds")
	check_grep "dma-high with the bug: dma-out-of-range" 'dma-out-of-range' <(echo "$kinds")
	check_status "dma-high with the bug: check exits 1" 1 iod "${R[@]}" check
	out=$(iod "${R[@]}" bufs)
	check_grep "dma-high with the bug: bufs lists the buffer at 8 GiB as refused" '0x0000000200000000 .*refused' <(echo "$out")
	check_grep "dma-high with the bug: bufs shows the panic" 'panicked: .*InvalidVaddrRange\(0x200000000, 0x200001000\)' \
		<(echo "$out")
	check_grep "dma-high with the bug: bufs shows the 4 GiB window" 'window \[0, 0x100000000\)' <(echo "$out")
	# the triage script, attached after the fact
	PTDBG_TARGET=$VM_TARGET timeout 120 "$GDB" -nx -batch -x gdb-scripts/triage-dma-window-4g.gdb \
		"$A64_KERNEL" >"$TMP/triage.txt" 2>&1
	check_grep "dma-high with the bug: the triage script attached after the panic names the cause" \
		'^VERDICT: BUG FOUND: out-of-range DMA: .*window-narrower-than-ias' "$TMP/triage.txt"
fi
vm_stop iod-a64-high-bug

# ---- make triage ARCH=aarch64 SCENARIO=dma-high [BUG=dma-window-4g] -----------------------
for bug in dma-window-4g ""; do
	rc=0
	PTDBG_ARCH=aarch64 timeout -k 5 200 gdb-scripts/triage dma-high "$bug" "" 150 >"$TMP/triage.txt" 2>&1 || rc=$?
	if [ -n "$bug" ]; then want=1 re='^VERDICT: BUG FOUND: out-of-range DMA: .*window-narrower-than-ias'
	else want=0 re='^VERDICT: NOTHING WRONG'; fi
	if [ "$rc" = "$want" ] && grep -qE "$re" "$TMP/triage.txt" && grep -q "SMMUv3 state" "$TMP/triage.txt"; then
		ok "triage aarch64 dma-high${bug:+ bug=$bug}: $(grep '^VERDICT' "$TMP/triage.txt")"
	else
		not_ok "triage aarch64 dma-high${bug:+ bug=$bug}: status $want, verdict /$re/" "status $rc" "$(tail -30 "$TMP/triage.txt")"
	fi
done
