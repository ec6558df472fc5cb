#!/usr/bin/env bash
# Finding the SMMUv3 of a real AArch64 guest without the debug region or a device
# tree at the base of RAM: Debian 12's own arm64 Linux (scripts/linux-guest.sh --arch
# aarch64; the suite is skipped when it cannot be had) on `-M virt,iommu=smmuv3` with
# a PCIe root port at 00:02.0 (Linux's built-in pcieport driver binds it, and binding
# is when Linux gives a device its IOMMU), booted twice at once under TCG:
#   - through EDK2 (--uefi): QEMU builds the ACPI tables, the IORT among them, EDK2
#     installs them, Linux boots with ACPI. iommudump finds the RSDP through the EFI
#     system table, the IORT through the XSDT and the SMMU through the IORT. Oracles:
#     Linux's boot log (the RSDP, XSDT and IORT addresses, lengths and revisions it
#     printed, the EFI system table it was handed), QEMU's memory tree (where the
#     arm-smmuv3 region is), QEMU's own read of the base of RAM (no device tree
#     there), and the stream table entry Linux's SMMU driver wrote for the root
#     port, whose stream id Linux took from the same IORT.
#   - straight into the kernel (no firmware): QEMU builds no ACPI tables and puts no
#     device tree at the base of RAM, so `info mtree -f` is what finds the SMMU.
. "$(dirname "$0")/../lib.sh"

skip() { ok "$1 # SKIP $2"; }
GUEST=("$TOP/scripts/linux-guest.sh" --arch aarch64)
EFI=${QEMU_EFI:-/usr/share/qemu-efi-aarch64/QEMU_EFI.fd}
if ! "${GUEST[@]}" fetch >/dev/null 2>"$TMP/fetch.err"; then
	skip "linux arm64 guest" "cannot fetch Debian's kernel: $(head -n 1 "$TMP/fetch.err")"
	echo "1..$_n"
	exit 0
fi
PORT_DEV=pcie-root-port,addr=2,chassis=1

boot() {
	local name=$1 port
	shift
	port=$(random_free_port)
	_vms+=("$name")
	echo "127.0.0.1:$port" >"$TMP/$name.target"
	( rc=0; "${GUEST[@]}" start --name "$name" --gdb "$port" --machine ,iommu=smmuv3 --device "$PORT_DEV" "$@" \
		>"$TMP/$name.start" 2>&1 || rc=$?; echo $rc >"$TMP/$name.rc" ) &
}
t0=$SECONDS
uefi=yes
[ -r "$EFI" ] || uefi=""
[ -z "$uefi" ] || boot iort-uefi --uefi --append efi=debug
boot iort-mtree
wait
diag "the Linux arm64 boots reached their panic in $((SECONDS - t0)) s"

hex() { printf '0x%016x' "$(($1))"; }
# the start of QEMU's arm-smmuv3 region, from its own memory tree
mtree_smmu() { "$PTDUMP" -t "$1" monitor "info mtree -f" | tr -d '\r' |
	sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* (prio [0-9]*, i\/o): arm-smmuv3$/0x\1/p' | head -n 1; }
# QEMU's own read of a 32-bit word of guest physical memory
xp32() { "$PTDUMP" -t "$1" monitor "xp /1wx $2" | tr -d '\r' | sed -n 's/^[0-9a-f]*: *\(0x[0-9a-f]*\).*/\1/p'; }
# a field of Linux's "ACPI: SIG 0xADDR LEN (vREV ..." line
acpi_line() { sed -n "s/.*ACPI: $2 \(0x[0-9A-F]*\) \([0-9A-F]*\) (v\([0-9]*\).*/\1 \2 \3/p" "$BUILD/vm/$1.log" | head -n 1; }

# ---- UEFI: the IORT ----
if [ -z "$uefi" ]; then
	skip "UEFI guest" "no EDK2 firmware at $EFI (scripts/deps.sh installs qemu-efi-aarch64)"
elif [ "$(cat "$TMP/iort-uefi.rc")" != 0 ]; then
	not_ok "iort-uefi: boots through EDK2 to its panic" "$(cat "$TMP/iort-uefi.start")"
else
	vm=iort-uefi T=$(cat "$TMP/iort-uefi.target") L=$BUILD/vm/iort-uefi.log
	ok "$vm: boots through EDK2 to its panic"
	check_eq "$vm: QEMU reads no device tree at the base of RAM" no \
		"$([ "$(xp32 "$T" 0x40000000)" = 0xedfe0dd0 ] && echo yes || echo no)"
	J=$TMP/regs.json
	"$IOMMUDUMP" -t "$T" regs --iort -j >"$J" 2>"$TMP/regs.err"
	check_eq "$vm: regs finds the SMMU through the ACPI IORT" "ACPI IORT" "$(jq -r .smmu_source "$J")"
	smmu=$(mtree_smmu "$T")
	check_eq "$vm: the IORT's SMMUv3 base is where QEMU's memory tree has arm-smmuv3" "$(hex "${smmu:-1}")" \
		"$(jq -r '[.iort.nodes[] | select(.type == "SMMUv3") | .base][0]' "$J")"
	read -r a l r <<<"$(acpi_line "$vm" RSDP)"
	check_eq "$vm: the RSDP Linux printed, found through the EFI system table" \
		"$(hex "${a:-1}") EFI system table" "$(jq -r '"\(.iort.rsdp) \(.iort.rsdp_found_by)"' "$J")"
	st=$(sed -n 's/.*efi: *System Table *: \(0x[0-9a-f]*\).*/\1/p' "$L" | head -n 1)
	check_eq "$vm: the EFI system table is the one EDK2 handed Linux" "$(hex "${st:-1}")" \
		"$(jq -r .iort.efi_system_table "$J")"
	read -r a l r <<<"$(acpi_line "$vm" XSDT)"
	check_eq "$vm: the XSDT Linux printed" "$(hex "${a:-1}")" "$(jq -r .iort.xsdt "$J")"
	read -r a l r <<<"$(acpi_line "$vm" IORT)"
	check_eq "$vm: the IORT Linux printed: address, length, revision" \
		"$(hex "${a:-1}") $((16#${l:-0})) $((10#${r:-0}))" "$(jq -r '"\(.iort.iort) \(.iort.length) \(.iort.revision)"' "$J")"
	check_eq "$vm: checksum holds, one ITS group, one SMMUv3, one root complex" "true ITS group,SMMUv3,root complex" \
		"$(jq -r '"\(.iort.checksum_ok) \([.iort.nodes[].type] | join(","))"' "$J")"
	reads=$(jq -r .iort.link_reads "$J") blocks=$(jq -r .iort.blocks_probed "$J")
	diag "RSDP, XSDT and IORT in $reads reads of the gdbstub ($blocks 64 KiB blocks probed)"
	check_eq "$vm: found in at most 40 reads, at most 8 blocks probed" "yes yes" \
		"$([ "$reads" -le 40 ] && echo yes) $([ "$blocks" -le 8 ] && echo yes)"
	# the edu device: Linux put it in an iommu group, with the stream id it read in the IORT
	check_grep "$vm: Linux attached 00:02.0 to the SMMU" '0000:00:02\.0: Adding to iommu group' "$L"
	route=""
	while read -r first last base stream; do
		if [ $((first)) -le 16 ] && [ $((last)) -ge 16 ]; then
			route="$base $(hex "stream + 16 - first")"
			break
		fi
	done < <(jq -r '.iort.routes[] | select(.smmu_node >= 0) | "\(.first_id) \(.last_id) \(.smmu_base) \(.first_stream)"' "$J")
	check_eq "$vm: the IORT routes requester id 0x10 to the SMMU, stream 0x10" "$(hex "${smmu:-1}") $(hex 0x10)" "$route"
	"$IOMMUDUMP" -t "$T" regs --iort >"$TMP/regs.txt" 2>&1
	check_grep "$vm: regs says the register base came from the IORT" '^register base 0x9050000 from ACPI IORT$' "$TMP/regs.txt"
	check_grep "$vm: regs --iort prints which SMMU serves the requester ids" \
		'segment 0 requester ids 0x0000-0x0[0-9a-f]{3}: SMMUv3 node 1 \(0x9050000\), stream ids from 0,' "$TMP/regs.txt"
	check_grep "$vm: regs --iort notes QEMU's overlapping ID mappings" 'ID mappings 0 and 1 overlap from 0x[0-9a-f]+ \(the first wins\)' "$TMP/regs.txt"
	"$IOMMUDUMP" -t "$T" ctx 0x10 >"$TMP/ctx.txt" 2>&1
	check_grep "$vm: ctx 0x10: the stream table entry Linux wrote is valid, stage 1" 'V +\[0\] +1' "$TMP/ctx.txt"
	check_grep "$vm: ctx says the unit came from the IORT" '\(ACPI IORT\)' "$TMP/ctx.txt"
	# Linux's SMMU driver, which found the unit through the same IORT, says how big it
	# made the queues; the registers iommudump reads there agree
	for q in cmdq:CMDQ_BASE evtq:EVENTQ_BASE; do
		n=$(sed -n "s/.*arm-smmu-v3.*: allocated \([0-9]*\) entries for ${q%%:*}.*/\1/p" "$L" | head -n 1)
		check_eq "$vm: ${q#*:} holds the ${n:-?} entries Linux allocated for ${q%%:*}" "${n:-?}" \
			"$((1 << $(jq -r --arg r "${q#*:}" '.unit.registers[] | select(.name == $r) | .fields.LOG2SIZE' "$J")))"
	done
	# the root port's one mapping is its MSI doorbell, which QEMU's memory tree says is gicv2m
	v2m=$("$PTDUMP" -t "$T" monitor "info mtree -f" | tr -d '\r' | sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* (prio [0-9]*, i\/o): gicv2m$/0x\1/p' | head -n 1)
	check_eq "$vm: dump 0x10: the stage-1 tables Linux built map one page, onto QEMU's gicv2m frame" \
		"1 $(hex "${v2m:-1}")" "$("$IOMMUDUMP" -t "$T" dump 0x10 -j | jq -r '[.tables[].entries[] | select(.type == "range")] | "\(length) \(.[0].pa)"')"
	"$IOMMUDUMP" -t "$T" check >"$TMP/check.txt" 2>&1
	rc=$?
	check_eq "$vm: check ends with 0 or 1 (findings)" yes "$([ $rc -le 1 ] && echo yes)"
fi

# ---- no firmware: the memory tree ----
if [ "$(cat "$TMP/iort-mtree.rc")" != 0 ]; then
	not_ok "iort-mtree: boots to its panic" "$(cat "$TMP/iort-mtree.start")"
else
	vm=iort-mtree T=$(cat "$TMP/iort-mtree.target") L=$BUILD/vm/iort-mtree.log
	ok "$vm: boots straight into the kernel to its panic"
	check_eq "$vm: Linux saw no ACPI tables (no IORT line)" 0 "$(grep -c 'ACPI: IORT' "$L")"
	check_eq "$vm: QEMU reads no device tree at the base of RAM" no \
		"$([ "$(xp32 "$T" 0x40000000)" = 0xedfe0dd0 ] && echo yes || echo no)"
	J=$TMP/mregs.json
	"$IOMMUDUMP" -t "$T" regs -j >"$J" 2>"$TMP/mregs.err"
	smmu=$(mtree_smmu "$T")
	check_eq "$vm: regs finds the SMMU through QEMU's memory tree" "QEMU memory tree" "$(jq -r .smmu_source "$J")"
	"$IOMMUDUMP" -t "$T" regs --iort >"$TMP/mregs.txt" 2>&1
	check_grep "$vm: regs --iort says there is no IORT" '^no ACPI IORT table found in guest memory$' "$TMP/mregs.txt"
	check_grep "$vm: regs says the register base came from the memory tree, where arm-smmuv3 is" \
		"^register base $(printf '%#x' "$((${smmu:-1}))") from QEMU memory tree\$" "$TMP/mregs.txt"
	check_grep "$vm: Linux attached 00:02.0 to the SMMU (the device tree's iommu-map)" '0000:00:02\.0: Adding to iommu group' "$L"
	"$IOMMUDUMP" -t "$T" ctx 0x10 >"$TMP/mctx.txt" 2>&1
	check_grep "$vm: ctx 0x10: the stream table entry Linux wrote is valid" 'V +\[0\] +1' "$TMP/mctx.txt"
	check_status "$vm: dump 0x10 ends normally" 0 "$IOMMUDUMP" -t "$T" dump 0x10
fi
echo "1..$_n"
