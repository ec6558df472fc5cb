#!/usr/bin/env bash
# Linux's names for a real Linux arm64 guest: Debian 12's own 6.1 arm64 kernel
# (scripts/linux-guest.sh --arch aarch64 fetches it; the suite is skipped when it cannot
# be had), booted twice under TCG (virt, -cpu max) without a root file system: once with
# KASLR, once with `nokaslr`. Against each:
#   - the KASLR text offset is the "Kernel Offset" the kernel prints when it panics, and
#     through the gdbstub in virtual mode (QEMU translates) linux_banner at its relocated
#     address reads "Linux version", memstart_addr and kimage_voffset are what gdb reads;
#   - the static markers are what System.map and the kernel's config imply (Modules end
#     is KIMAGE_VADDR, _text's link address; the linear map starts at -(1 << VA_BITS)),
#     the fixmap's with the slot count bpftool reads from the vmlinux's BTF;
#   - QEMU translates the starts: the linear map to memstart_addr, PCI I/O to the PCIe
#     host's I/O window in QEMU's own memory map, vmemmap to RAM;
#   - spaces names the roots that are the image's tables (swapper_pg_dir, idmap_pg_dir)
#     where gdb's TTBR1_EL1 and kimage_voffset put them;
#   - dump labels ranges with those names; -k and --system-map agree; without symbols
#     nothing is labelled; `walk SYMBOL` goes to the relocated symbol, where QEMU's
#     gva2gpa goes.
. "$(dirname "$0")/../lib.sh"

skip() { ok "$1 # SKIP $2"; }
GUEST=("$TOP/scripts/linux-guest.sh" --arch aarch64)
if ! LDIR=$("${GUEST[@]}" fetch 2>"$TMP/fetch.err"); then
	skip "linux arm64 guest" "cannot fetch Debian's kernel: $(head -n 1 "$TMP/fetch.err")"
	exit 0
fi
MAP=$LDIR/System.map VMLINUX=$LDIR/vmlinux CONFIG=$LDIR/config

boot() {
	local name=$1 port
	port=$(random_free_port)
	_vms+=("$name")
	echo "127.0.0.1:$port" >"$TMP/$1.target"
	( rc=0; "${GUEST[@]}" start --name "$name" --gdb "$port" --append "$2" \
		>"$TMP/$name.start" 2>&1 || rc=$?; echo $rc >"$TMP/$name.rc" ) &
}
t0=$SECONDS
boot lxa-kaslr ""
boot lxa-plain "nokaslr"
wait
diag "both Linux arm64 boots reached their panic in $((SECONDS - t0)) s"

sym() { awk -v n="$1" '$3 == n { print $1; exit }' "$MAP"; }
cfg() { sed -n "s/^$1=//p" "$CONFIG"; }
hex() { printf '0x%016x' "$(($1))"; }
base() { jq -r --arg n "$2" '[.bases[] | select(.name == $n) | .value][0]' "$1"; }
marker() { jq -r --arg n "$2" '[.markers[] | select(.name == $n) | .start][0]' "$1"; }
gdb_x() {
	timeout 30 gdb-multiarch -nx -batch -ex 'set architecture aarch64' -ex "set remotetimeout 30" -ex "target remote $1" \
		-ex "x/$2 $3" 2>/dev/null | grep -E '^0x[0-9a-f]+( <[^>]*>)?:' | sed 's/^[^:]*:[[:space:]]*//'
}
gva2gpa() { "$PTDUMP" -t "$1" monitor gva2gpa "$2" 2>&1 | tr -d '\r' | sed -n 's/^gpa: \(0x[0-9a-f]*\)/\1/p'; }

TEXT=0x$(sym _text)
VAB=$(cfg CONFIG_ARM64_VA_BITS)
offsets=()
for vm in lxa-kaslr lxa-plain; do
	T=$(cat "$TMP/$vm.target")
	if [ "$(cat "$TMP/$vm.rc")" != 0 ]; then
		not_ok "$vm: boots to its panic" "$(cat "$TMP/$vm.start")"
		continue
	fi
	ok "$vm: boots to its panic"
	J=$TMP/$vm.json
	check "$vm: layout -j with --system-map" "$PTDUMP" layout -t "$T" --system-map "$MAP" -j
	"$PTDUMP" layout -t "$T" --system-map "$MAP" -j >"$J" 2>"$TMP/err"
	"$PTDUMP" layout -t "$T" --system-map "$MAP" >"$TMP/$vm.txt" 2>&1
	check_eq "$vm: placed, arm64, $(cfg CONFIG_PGTABLE_LEVELS)-level" "true arm64 $(cfg CONFIG_PGTABLE_LEVELS)" \
		"$(jq -r '"\(.valid) \(.arch) \(.levels)"' "$J")"

	# the text offset
	off=$(base "$J" text_offset)
	offsets+=("$off")
	printed=$(sed -n 's/.*Kernel Offset: \(0x[0-9a-f]*\|disabled\).*/\1/p' "$BUILD/vm/$vm.log" | head -n 1)
	[ "$printed" = disabled ] && printed=0
	check_eq "$vm: the text offset is the Kernel Offset the kernel printed" "$(hex "${printed:-1}")" "$off"
	banner=$(printf '0x%x' $((0x$(sym linux_banner) + off)))
	check_grep "$vm: linux_banner at its relocated address reads Linux version" '^"Linux version 6\.1' \
		<(gdb_x "$T" s "$banner")
	for v in memstart_addr kimage_voffset; do
		got=$(gdb_x "$T" gx "$(printf '0x%x' $((0x$(sym $v) + off)))")
		check_eq "$vm: $v is what the kernel's variable holds" "$(hex "${got:-0}")" "$(base "$J" $v)"
	done
	check_eq "$vm: page_offset, kimage_voffset and vmemmap verified through the tables" "true true true" \
		"$(jq -r '[.bases[] | select(.name == "page_offset" or .name == "kimage_voffset" or .name == "vmemmap_start") | .verified] | join(" ")' "$J")"

	# the static markers (arch/arm64/include/asm/memory.h of 6.1)
	check_eq "$vm: Linear Mapping start is -(1 << CONFIG_ARM64_VA_BITS)" "$(hex "-(1 << VAB)")" "$(marker "$J" 'Linear Mapping start')"
	check_eq "$vm: Modules end and vmalloc() area at KIMAGE_VADDR, _text's link address" "$(hex "$TEXT") $(hex "$TEXT")" \
		"$(marker "$J" 'Modules end') $(marker "$J" 'vmalloc() area')"
	check_eq "$vm: Modules start 128 MiB below, where the linear map ends" "$(hex "$TEXT - (128 << 20)") $(hex "$TEXT - (128 << 20)")" \
		"$(marker "$J" 'Modules start') $(marker "$J" 'Linear Mapping end')"
	nfix=$(bpftool btf dump file "$VMLINUX" format raw 2>/dev/null |
		sed -n "s/^[[:space:]]*'__end_of_permanent_fixed_addresses' val=\([0-9]*\)$/\1/p" | head -n 1)
	if [ -n "$nfix" ]; then
		check_eq "$vm: Fixmap start is FIXADDR_TOP less the permanent fixmap slots ($nfix)" \
			"$(hex "$(marker "$J" 'Fixmap end') - ($nfix << 12)")" "$(marker "$J" 'Fixmap start')"
	else
		skip "$vm: Fixmap start against bpftool" "no bpftool (scripts/deps.sh installs it)"
	fi
	# QEMU translates the starts
	mem=$(base "$J" memstart_addr)
	check_eq "$vm: QEMU translates Linear Mapping start to memstart_addr" "$mem" \
		"$(hex "$(gva2gpa "$T" "$(marker "$J" 'Linear Mapping start')")")"
	pio=$("$PTDUMP" -t "$T" monitor "info mtree -f" | sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* .*: gpex_ioport_window.*/\1/p' | head -n 1)
	check_eq "$vm: QEMU translates PCI I/O start to its PCIe host's I/O window" "$(hex "0x${pio:-1}")" \
		"$(hex "$(gva2gpa "$T" "$(marker "$J" 'PCI I/O start')")")"
	check_grep "$vm: QEMU translates vmemmap start (RAM's first struct page)" '^0x[0-9a-f]+$' \
		<(gva2gpa "$T" "$(marker "$J" 'vmemmap start')")
	check_grep "$vm: layout says how the text offset was found" 'text_offset +0x[0-9a-f]+ +verified: VBAR_EL1' "$TMP/$vm.txt"

	# spaces names the roots that are tables of the image by their symbols: TTBR1's is
	# swapper_pg_dir (gdb reads TTBR1_EL1), and the scan finds idmap_pg_dir where
	# System.map and kimage_voffset (as gdb reads it) put it
	sj=$("$PTDUMP" spaces -t "$T" --system-map "$MAP" -j)
	t1=$(timeout 30 gdb-multiarch -nx -batch -ex 'set architecture aarch64' -ex "set remotetimeout 30" -ex "target remote $T" \
		-ex 'p/x $TTBR1_EL1' 2>/dev/null | sed -n 's/^\$[0-9]* = //p')
	check_eq "$vm: spaces: TTBR1's root is swapper_pg_dir, the one gdb reads" "$(hex "${t1:-0} & 0xfffffffffffe")" \
		"$(jq -r '.spaces[] | select(.space == "swapper_pg_dir" and .how == "ttbr1") | .root' <<<"$sj")"
	voff=$(gdb_x "$T" gx "$(printf '0x%x' $((0x$(sym kimage_voffset) + off)))")
	check_eq "$vm: spaces: the scan finds idmap_pg_dir at its physical address" \
		"$(hex "0x$(sym idmap_pg_dir) + $off - ${voff:-0}") scan possible" \
		"$(jq -r '.spaces[] | select(.space == "idmap_pg_dir") | "\(.root) \(.how) \(.confidence)"' <<<"$sj")"

	# dump's labels; walk SYMBOL goes where QEMU does
	"$PTDUMP" dump -t "$T" --system-map "$MAP" >"$TMP/$vm.dump" 2>&1
	for m in 'Linear Mapping start' 'vmalloc() area' 'Fixmap start' 'PCI I/O start' 'vmemmap start'; do
		grep -qF -- "---[ $m ]---" "$TMP/$vm.dump" || { not_ok "$vm: dump labels $m" "$(head "$TMP/$vm.dump")"; continue 2; }
	done
	ok "$vm: dump labels the ranges with Linux's names"
	w=$("$PTDUMP" walk -t "$T" --system-map "$MAP" linux_banner -j)
	check_eq "$vm: walk linux_banner: the relocated address, and the frame QEMU's gva2gpa gives" \
		"$(hex "$banner") $(hex "$(gva2gpa "$T" "$banner")")" "$(jq -r '"\(.translation.va) \(.translation.pa)"' <<<"$w")"
	check_eq "$vm: walk names the relocated address with the symbol" linux_banner "$(jq -r '.symbol' <<<"$w")"
	check_eq "$vm: -k vmlinux places the same layout as --system-map" "$(cat "$J")" \
		"$("$PTDUMP" layout -t "$T" -k "$VMLINUX" -j 2>&1)"
	"$PTDUMP" layout -t "$T" >"$TMP/$vm.nosym" 2>&1
	check_grep "$vm: without symbols the layout says it labels nothing" 'nothing labelled' "$TMP/$vm.nosym"
	check_eq "$vm: without symbols dump names no Linux range" 0 \
		"$("$PTDUMP" dump -t "$T" | grep -cF -- '---[ vmalloc() area ]---')"
done
if [ "${#offsets[@]}" = 2 ]; then
	check_eq "nokaslr: text offset 0" 0x0000000000000000 "${offsets[1]}"
	check_eq "KASLR: the offset is not 0" yes "$([ "${offsets[0]}" != 0x0000000000000000 ] && echo yes)"
fi
echo "1..$_n"
