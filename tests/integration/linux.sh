#!/usr/bin/env bash
# Linux's names for a real Linux guest: Debian 12's own 6.1 kernel (scripts/linux-guest.sh
# fetches it; the suite is skipped when it cannot be had), booted twice under TCG without
# a root file system: once with KASLR and 5-level paging (-cpu max has LA57), once with
# `nokaslr no5lvl`. Against each:
#   - the static markers equal what System.map, the kernel's config and its constants
#     (arch/x86/include/asm/pgtable_64_types.h) imply, the fixmap's with the size that
#     bpftool reads from the vmlinux's BTF;
#   - the KASLR text offset is right: it is the "Kernel Offset" the kernel prints when it
#     panics, and through the gdbstub in virtual mode (QEMU translates), linux_banner at its relocated address reads "Linux version", and the
#     code at _text and strlen holds the vmlinux's bytes;
#   - page_offset_base, vmalloc_base and vmemmap_base equal what gdb reads at the
#     variables' relocated addresses, and without KASLR Linux's documented defaults,
#     where QEMU's `info mem` starts the linear map;
#   - dump labels ranges with those names; -k vmlinux and --system-map agree; without
#     symbols nothing is labelled; the two boots have different offsets;
#   - `walk SYMBOL` goes to the relocated symbol, to the frame QEMU's gva2gpa gives.
. "$(dirname "$0")/../lib.sh"

skip() { ok "$1 # SKIP $2"; }

if ! LDIR=$("$TOP/scripts/linux-guest.sh" fetch 2>"$TMP/fetch.err"); then
	skip "linux guest" "cannot fetch Debian's kernel: $(head -n 1 "$TMP/fetch.err")"
	exit 0
fi
MAP=$LDIR/System.map VMLINUX=$LDIR/vmlinux CONFIG=$LDIR/config

# boot NAME APPEND: start a guest in the background (its status in $TMP/NAME.rc).
boot() {
	local name=$1 port
	port=$(random_free_port)
	_vms+=("$name")
	echo "127.0.0.1:$port" >"$TMP/$1.target"
	( rc=0; "$TOP/scripts/linux-guest.sh" start --name "$name" --gdb "$port" --append "$2" \
		>"$TMP/$name.start" 2>&1 || rc=$?; echo $rc >"$TMP/$name.rc" ) &
}
t0=$SECONDS
boot lxkaslr ""
boot lxplain "nokaslr no5lvl"
wait
diag "both Linux boots reached their panic in $((SECONDS - t0)) s"

sym() { awk -v n="$1" '$3 == n { print $1; exit }' "$MAP"; }
cfg() { sed -n "s/^$1=//p" "$CONFIG"; }
hex() { printf '0x%016x' "$(($1))"; }
# base FILE NAME, marker FILE NAME: a base's value, a marker's start in layout -j's FILE.
base() { jq -r --arg n "$2" '[.bases[] | select(.name == $n) | .value][0]' "$1"; }
marker() { jq -r --arg n "$2" '[.markers[] | select(.name == $n) | .start][0]' "$1"; }
# gdb_x TARGET FMT ADDR: gdb's x/FMT at ADDR, read through the gdbstub in virtual mode.
gdb_x() {
	timeout 30 gdb -nx -batch -ex 'set architecture i386:x86-64' -ex "set remotetimeout 30" -ex "target remote $1" \
		-ex "x/$2 $3" 2>/dev/null | grep -E '^0x[0-9a-f]+( <[^>]*>)?:' | sed 's/^[^:]*:[[:space:]]*//'
}
# file_x FMT SYMBOL: the same from the vmlinux file, at the link address.
file_x() { timeout 30 gdb -nx -batch -ex "x/$1 $2" "$VMLINUX" 2>/dev/null |
	grep -E '^0x[0-9a-f]+( <[^>]*>)?:' | sed 's/^[^:]*:[[:space:]]*//'; }

TEXT=0x$(sym _text)
PHYS_START=$(cfg CONFIG_PHYSICAL_START)
offsets=()
for vm in lxkaslr lxplain; do
	T=$(cat "$TMP/$vm.target")
	if [ "$(cat "$TMP/$vm.rc")" != 0 ]; then
		not_ok "$vm: boots to its panic" "$(cat "$TMP/$vm.start")"
		continue
	fi
	ok "$vm: boots to its panic"
	if [ $vm = lxkaslr ]; then levels=5; else levels=4; fi
	J=$TMP/$vm.json
	check "$vm: layout -j with --system-map" "$PTDUMP" layout -t "$T" --system-map "$MAP" -j
	"$PTDUMP" layout -t "$T" --system-map "$MAP" -j >"$J" 2>"$TMP/err"
	"$PTDUMP" layout -t "$T" --system-map "$MAP" >"$TMP/$vm.txt" 2>&1
	check_eq "$vm: placed, $levels-level" "true $levels" "$(jq -r '"\(.valid) \(.levels)"' "$J")"

	# the static markers
	check_eq "$vm: High Kernel Mapping is _text less CONFIG_PHYSICAL_START" \
		"$(hex "$TEXT - $PHYS_START")" "$(marker "$J" 'High Kernel Mapping')"
	[ "$(cfg CONFIG_RANDOMIZE_BASE)" = y ] && kimg=$((1 << 30)) || kimg=$((512 << 20))
	check_eq "$vm: Modules is __START_KERNEL_map + KERNEL_IMAGE_SIZE" \
		"$(hex "$TEXT - $PHYS_START + $kimg")" "$(marker "$J" 'Modules')"
	check_eq "$vm: End Modules, CPU entry Area, ESPfix Area, EFI Runtime Services" \
		"0xffffffffff000000 0xfffffe0000000000 0xffffff0000000000 0xffffffef00000000" \
		"$(marker "$J" 'End Modules') $(marker "$J" 'CPU entry Area') $(marker "$J" 'ESPfix Area') $(marker "$J" 'EFI Runtime Services')"
	if [ $levels = 5 ]; then ldt=0xff90000000000000; else ldt=0xffff880000000000; fi
	check_eq "$vm: LDT remap at LDT_PGD_ENTRY << PGDIR_SHIFT" "$ldt" "$(marker "$J" 'LDT remap')"
	check_eq "$vm: Kernel Space and User Space" "0x8000000000000000 0x0000000000000000" \
		"$(marker "$J" 'Kernel Space') $(marker "$J" 'User Space')"
	fix=$(marker "$J" 'Fixmap Area')
	check_eq "$vm: the fixmap starts below the vsyscall page, page aligned, above End Modules" yes \
		"$( (( fix > 0xffffffffff000000 && fix <= 0xffffffffff600000 && (fix & 0xfff) == 0 )) && echo yes)"
	# FIXADDR_START = FIXADDR_TOP - (__end_of_permanent_fixed_addresses << PAGE_SHIFT),
	# the enumerator as the kernel's own bpftool reads it from the vmlinux file
	nfix=$(bpftool btf dump file "$VMLINUX" format raw 2>/dev/null |
		sed -n "s/^[[:space:]]*'__end_of_permanent_fixed_addresses' val=\([0-9]*\)$/\1/p" | head -n 1)
	if [ -n "$nfix" ]; then
		check_eq "$vm: Fixmap Area is FIXADDR_TOP less the permanent fixmap slots ($nfix)" \
			"$(hex "0xffffffffff7ff000 - ($nfix << 12)")" "$fix"
	else
		skip "$vm: Fixmap Area against bpftool" "no bpftool (scripts/deps.sh installs it)"
	fi

	# the text offset, against what QEMU reads through the tables
	off=$(base "$J" text_offset)
	offsets+=("$off")
	# the kernel prints its own offset when it panics (dump_kernel_offset)
	printed=$(sed -n 's/.*Kernel Offset: \(0x[0-9a-f]*\|disabled\).*/\1/p' "$BUILD/vm/$vm.log" | head -n 1)
	[ "$printed" = disabled ] && printed=0
	check_eq "$vm: the text offset is the Kernel Offset the kernel printed" "$(hex "${printed:-1}")" "$off"
	banner=$(printf '0x%x' $((0x$(sym linux_banner) + off)))
	check_grep "$vm: linux_banner at its relocated address reads Linux version" '^"Linux version 6\.1' \
		<(gdb_x "$T" s "$banner")
	# 24 bytes of _text (startup_64: RIP-relative until an immediate KASLR relocates)
	# and 20 of strlen (up to its return, which boot-time patching rewrites)
	for f in _text:24 strlen:20; do
		n=${f#*:} f=${f%:*}
		want=$(file_x "${n}xb" "$f")
		got=$(gdb_x "$T" "${n}xb" "$(printf '0x%x' $((0x$(sym $f) + off)))")
		if [ -n "$want" ] && [ "$want" = "$got" ]; then ok "$vm: $f's code at its relocated address is the vmlinux's"
		else not_ok "$vm: $f's code at its relocated address is the vmlinux's" "want: $want" "got: $got"; fi
	done

	# the bases, against the variables as QEMU reads them
	for v in page_offset_base vmalloc_base vmemmap_base; do
		got=$(gdb_x "$T" gx "$(printf '0x%x' $((0x$(sym $v) + off)))")
		check_eq "$vm: $v is what the kernel's variable holds" "$(hex "${got:-0}")" "$(base "$J" $v)"
	done
	check_eq "$vm: Low Kernel Mapping, vmalloc() Area, Vmemmap start at the bases" \
		"$(base "$J" page_offset_base) $(base "$J" vmalloc_base) $(base "$J" vmemmap_base)" \
		"$(marker "$J" 'Low Kernel Mapping') $(marker "$J" 'vmalloc() Area') $(marker "$J" 'Vmemmap')"
	check_grep "$vm: layout says how each base was found" 'page_offset_base +0x[0-9a-f]+ +verified: read from page_offset_base' "$TMP/$vm.txt"

	# dump's labels, and the first page of the high kernel mapping is the relocated _text
	"$PTDUMP" dump -t "$T" --system-map "$MAP" >"$TMP/$vm.dump" 2>&1
	for m in 'Low Kernel Mapping' 'vmalloc() Area' 'Vmemmap' 'CPU entry Area' 'ESPfix Area' \
		'High Kernel Mapping' 'Modules' 'Fixmap Area'; do
		grep -qF -- "---[ $m ]---" "$TMP/$vm.dump" || { not_ok "$vm: dump labels $m" "$(head "$TMP/$vm.dump")"; continue 2; }
	done
	ok "$vm: dump labels the ranges with Linux's names"
	first=$(grep -A1 -F -- '---[ High Kernel Mapping ]---' "$TMP/$vm.dump" | tail -n 1 | cut -d- -f1)
	check_eq "$vm: the High Kernel Mapping's first range starts at the relocated _text" \
		"$(printf '0x%016x' $((TEXT + off)))" "$first"
	# walk SYMBOL: the symbol where the running kernel put it, and the frame QEMU's own
	# translation of that address gives
	w=$("$PTDUMP" walk -t "$T" --system-map "$MAP" linux_banner -j)
	qpa=$("$PTDUMP" monitor -t "$T" gva2gpa "$banner" 2>&1 | tr -d '\r' | sed -n 's/^gpa: //p')
	check_eq "$vm: walk linux_banner goes to the relocated symbol, where QEMU's gva2gpa goes" \
		"$(printf '0x%016x 0x%016x' $((banner)) $((${qpa:-0})))" "$(jq -r '"\(.translation.va) \(.translation.pa)"' <<<"$w")"
	check_eq "$vm: walk names the relocated address with the symbol" linux_banner "$(jq -r '.symbol' <<<"$w")"
	check_eq "$vm: -k vmlinux places the same layout as --system-map" "$(cat "$J")" \
		"$("$PTDUMP" layout -t "$T" -k "$VMLINUX" -j 2>&1)"
	"$PTDUMP" layout -t "$T" >"$TMP/$vm.nosym" 2>&1
	check_grep "$vm: without symbols the layout says it labels nothing" 'nothing labelled' "$TMP/$vm.nosym"
	check_eq "$vm: without symbols dump names no Linux range" 0 \
		"$("$PTDUMP" dump -t "$T" | grep -cF -- '---[ High Kernel Mapping ]---')"
done

if [ "${#offsets[@]}" = 2 ]; then
	check_eq "nokaslr: text offset 0" 0x0000000000000000 "${offsets[1]}"
	check_eq "KASLR: the two boots have different text offsets" yes \
		"$([ "${offsets[0]}" != "${offsets[1]}" ] && echo yes)"
	J=$TMP/lxplain.json
	check_eq "nokaslr: the bases are Linux's 4-level defaults (Documentation/x86/x86_64/mm.rst)" \
		"0xffff888000000000 0xffffc90000000000 0xffffea0000000000" \
		"$(base "$J" page_offset_base) $(base "$J" vmalloc_base) $(base "$J" vmemmap_base)"
	T=$(cat "$TMP/lxplain.target")
	timeout 120 "$PTDUMP" monitor --timeout 100 -t "$T" info mem >"$TMP/infomem" 2>&1
	check_grep "nokaslr: QEMU's info mem starts a range at page_offset_base" \
		"^${J:+$(base "$J" page_offset_base | sed 's/^0x//')}-" "$TMP/infomem"
fi

# misuse
check_status "-k and --system-map together are a misuse" 2 "$PTDUMP" layout -t 127.0.0.1:1 -k "$VMLINUX" --system-map "$MAP"
"$PTDUMP" layout -t 127.0.0.1:1 --system-map "$CONFIG" >/dev/null 2>"$TMP/err"
check_grep "a file that is no System.map says where" 'config:[0-9]+: not a System.map line' "$TMP/err"
echo "1..$_n"
