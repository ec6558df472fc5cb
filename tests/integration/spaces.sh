#!/usr/bin/env bash
# Every address space: `spaces` from the debug region and from RAM alone,
# --all-spaces for dump, check, save and diff; `rmap`, `search`, `map` and
# dma-maps-kernel-text.
# Oracles: the roots the kernel lists in its region (a fact it set up) and prints at
# boot, QEMU's own CR3 (`info registers`) and `info tlb`, QEMU's vtd_dmar_translate
# trace of the DMA the edu device performed, and the kernel's dma-maps-text switch.
. "$(dirname "$0")/../lib.sh"

# roots JSON: the sorted roots of a `spaces -j` (or `region -j`) document.
roots() { jq -r '.spaces[] | select(.kind == "kernel" or .kind == "user") | .root' | sort; }

trace=$TMP/vtd.trace
vm_start sp-region --scenario default --qemu-args "-trace vtd_dmar_translate,file=$trace"
A=$VM_TARGET
LOG_A=$VM_LOG
vm_start sp-off --scenario default --append 'ptdbg=off'
B=$VM_TARGET

want=$("$PTDUMP" -t "$A" region -j | jq -r '.spaces[] | select(.live and (.kind == "kernel" or .kind == "user")) | .root' | sort)
check_eq "the region lists the kernel's and both processes' spaces" 3 "$(grep -c . <<<"$want")"
kroot=$(sed -n 's/.* cr3 \(0x[0-9a-f]*\)$/\1/p' "$LOG_A" | head -1)
check_grep "the kernel's root, as it printed it at boot, is among them" \
	"^0x0*$(printf '%x' $((kroot)))\$" <(echo "$want")

# From the region.
out=$("$PTDUMP" -t "$A" spaces -j)
check_eq "spaces with the region: the region's roots" "$want" "$(roots <<<"$out")"
check_eq "spaces with the region: found there" "region" "$(jq -r '.found' <<<"$out")"
check_eq "spaces with the region: names are the region's" "alpha beta kernel" \
	"$(jq -r '[.spaces[].space] | sort | join(" ")' <<<"$out")"

# From RAM alone, on the same VM.
for how in "--scan" "--region off"; do
	# shellcheck disable=SC2086
	out=$("$PTDUMP" -t "$A" spaces $how -j)
	check_eq "spaces $how: the same roots from RAM" "$want" "$(roots <<<"$out")"
	check_eq "spaces $how: RAM layout from QEMU's memory map" "info mtree" "$(jq -r '.ram.source' <<<"$out")"
done
check_eq "spaces --scan: the kernel space is the kernel's root" "$(printf '0x%016x' $((kroot)))" \
	"$("$PTDUMP" -t "$A" spaces --scan -j | jq -r '.spaces[] | select(.kind == "kernel") | .root')"

# A kernel booted with ptdbg=off: no region, the same roots.
out=$("$PTDUMP" -t "$B" spaces -j)
check_eq "ptdbg=off: spaces finds the region kernel's roots from RAM" "$want" "$(roots <<<"$out")"
check_eq "ptdbg=off: found by a scan" "scan" "$(jq -r '.found' <<<"$out")"
qcr3=$("$PTDUMP" -t "$B" monitor "info registers" | sed -n 's/.*CR3=\([0-9a-f]*\).*/\1/p' | head -1)
check_eq "ptdbg=off: the current space is the one in QEMU's CR3" "$(printf '0x%016x' $((0x$qcr3 & ~0xfff)))" \
	"$(jq -r '.spaces[] | select(.current) | .root' <<<"$out")"
tlb=$("$PTDUMP" -t "$B" monitor "info tlb" | grep -c '^[0-9a-f]*: ')
check_eq "ptdbg=off: the current space's leaves are QEMU's info tlb lines" "$tlb" \
	"$(jq -r '.spaces[] | select(.current) | .leaves' <<<"$out")"
check_eq "ptdbg=off: one kernel space, the others user" "kernel user user" \
	"$(jq -r '[.spaces[].kind] | sort | join(" ")' <<<"$out")"
text=$("$PTDUMP" -t "$B" spaces)
check_grep "ptdbg=off: the text names the RAM scanned" "^3 address spaces found in .* of RAM" <(echo "$text")
check_grep "ptdbg=off: the text has the column header" "^SPACE +KIND +ROOT +LEVELS +HOW +LEAVES +MAPPED +CURRENT" <(echo "$text")

# Over the gdbstub alone (no fast path), and from a core file: the same roots.
check_eq "ptdbg=off --no-fast-path: the same roots over the gdbstub" "$want" \
	"$("$PTDUMP" -t "$B" --no-fast-path spaces -j | roots)"
"$PTDUMP" -t "$B" monitor "dump-guest-memory $TMP/b.core" >/dev/null
out=$("$PTDUMP" --core "$TMP/b.core" spaces -j)
check_eq "core file: the same roots" "$want" "$(roots <<<"$out")"
check_eq "core file: RAM layout from its segments" "core file" "$(jq -r '.ram.source' <<<"$out")"
rm -f "$TMP/b.core"

# --all-spaces: every space, labelled, the shared kernel half once.
dj=$("$PTDUMP" -t "$B" dump --all-spaces -j)
check_eq "dump --all-spaces: one object per space" 3 "$(jq 'length' <<<"$dj")"
check_eq "dump --all-spaces: the kernel half only in the kernel's space" 0 \
	"$(jq '[.[] | select(.space | startswith("root=")) | .entries[] | select(.type == "range") |
		select(.start >= "0xffff800000000000")] | length' <<<"$dj")"
kern=$(jq '[.[] | select(.space | startswith("kernel=")) | .entries[] | select(.type == "range")] | length' <<<"$dj")
alone=$("$PTDUMP" -t "$B" dump --kernel -j | jq '[.entries[] | select(.type == "range")] | length')
check_eq "dump --all-spaces: the kernel half as dump --kernel shows it" "$alone" "$kern"
check_eq "dump --all-spaces: user ranges of every process" 2 \
	"$(jq '[.[] | select(.space | startswith("root=")) | select([.entries[] | select(.type == "range")] | length > 0)] | length' <<<"$dj")"
check_eq "dump --all-spaces with the region: the region's names" "alpha beta kernel" \
	"$("$PTDUMP" -t "$A" dump --all-spaces -j | jq -r '[.[].space] | sort | join(" ")')"
check_status "check --all-spaces: the default scenario is clean" 0 "$PTDUMP" -t "$B" check --all-spaces
check_eq "save --all-spaces: every space" 3 \
	"$("$PTDUMP" -t "$B" save --all-spaces "$TMP/all.snap" -j | jq '.spaces')"
check_status "diff of --all-spaces against the live VM: no change" 0 "$PTDUMP" -t "$B" diff "$TMP/all.snap"
check_status "--all-spaces and --cr3 exclude each other" 2 "$PTDUMP" -t "$B" dump --all-spaces --cr3 0x1000


# rmap of a user frame: the user address and its linear-map alias, as QEMU's info tlb
# lists them for the current space (the frame is the current process's own).
tlb=$("$PTDUMP" -t "$A" monitor "info tlb")
upa=$(awk '$1 ~ /^0000000100000000:/ { print "0x" $2 }' <<<"$tlb")
want=$(awk -v pa="${upa#0x}" '$2 == pa { sub(":", "", $1); print "0x" $1 }' <<<"$tlb" | sort)
check_eq "info tlb maps the user frame at its user address and its linear alias" 2 "$(grep -c . <<<"$want")"
out=$("$PTDUMP" -t "$A" rmap "$upa" 4096 -j)
check_eq "rmap of a user frame: the addresses info tlb lists for it" "$want" \
	"$(jq -r '.mappings[].va' <<<"$out" | sort)"
check_eq "rmap of a user frame: the user mapping is the current process's, user-writable" "beta USR RW" \
	"$(jq -r '.mappings[] | select(.va == "0x0000000100000000") | [.space, (.flags | map(select(. == "USR" or . == "RW")) | join(" "))] | join(" ")' <<<"$out")"
check_eq "rmap without the region: the same addresses" "$want" \
	"$("$PTDUMP" -t "$B" rmap "$upa" 4096 -j | jq -r '.mappings[].va' | sort)"
text=$("$PTDUMP" -t "$A" rmap "$upa")
check_grep "rmap text: one line per mapping" "^beta +va +0x0000000100000000 " <(echo "$text")

# rmap --iommu of the buffer the edu device wrote last: the IOVA QEMU translated.
last=$(sed -n 's/^vtd_dmar_translate dev 00:01\.0*0 iova \(0x[0-9a-f]*\) -> gpa \(0x[0-9a-f]*\).*/\1 \2/p' "$trace" | tail -1)
if [ -n "$last" ]; then
	read -r tiova tgpa <<<"$last"
	out=$("$PTDUMP" -t "$A" rmap "$tgpa" --iommu -j)
	check_eq "rmap --iommu of a DMA buffer: the IOVA QEMU translated to it" "$(printf '0x%016x' $((tiova)))" \
		"$(jq -r '.iommu[] | select(.bdf == "00:01.0") | .iova' <<<"$out")"
	check_eq "rmap --iommu: the kernel's linear alias of the buffer too" "$(printf '0x%016x' $((0xffff800000000000 + tgpa)))" \
		"$(jq -r '.mappings[].va' <<<"$out")"
else
	not_ok "QEMU traced the edu device's DMA" "$(head -3 "$trace")"
fi
check_status "rmap without PA is a misuse" 2 "$PTDUMP" -t "$A" rmap
check_status "rmap with a zero LEN is a misuse" 2 "$PTDUMP" -t "$A" rmap 0x1000 0

# search: a string the kernel prints, in its rodata, at its image address (where the
# ELF puts it) and its linear-map alias (where QEMU's info tlb maps the same frame).
objcopy -O binary -j .rodata "$KERNEL" "$TMP/rodata.bin"
off=$(grep -obUa 'ptdbg: ready' "$TMP/rodata.bin" | head -1 | cut -d: -f1)
rbase=$(readelf -SW "$KERNEL" | sed -n 's/.* \.rodata  *PROGBITS  *\([0-9a-f]*\) .*/\1/p')
sva=$(printf '0x%x' $((0x$rbase + off)))
spa=$("$PTDUMP" -t "$A" walk "$sva" -j | jq -r '.translation.pa')
lin=$(awk -v pa="$(printf '%016x' $((spa & ~0xfff)))" '$2 == pa { sub(":", "", $1); print $1 }' <<<"$tlb" | grep '^ffff8')
want=$(printf '0x%016x\n0x%016x' $((0x$lin + (spa & 0xfff))) $((sva)) | sort)
out=$("$PTDUMP" -t "$A" search 'ptdbg: ready' -j)
check_eq "search: the kernel's string at its image address and its linear alias" "$want" \
	"$(jq -r '.hits[].va' <<<"$out" | sort)"
check_eq "search: both aliases of one frame, read once" "1" "$(jq -r '[.hits[].pa] | unique | length' <<<"$out")"
check_eq "search --all-spaces: the kernel half searched once" "$want" \
	"$("$PTDUMP" -t "$A" search --all-spaces 'ptdbg: ready' -j | jq -r '.hits[].va' | sort)"
check_eq "search without the region: the same addresses" "$want" \
	"$("$PTDUMP" -t "$B" search 'ptdbg: ready' -j | jq -r '.hits[].va' | sort)"
check_eq "search --range: only the image address" "$(printf '0x%016x' $((sva)))" \
	"$("$PTDUMP" -t "$A" search 'ptdbg: ready' --range "$(printf '0x%x' $((sva & ~0xfff)))-$(printf '0x%x' $(((sva & ~0xfff) + 0x1000)))" -j | jq -r '.hits[].va')"
check_eq "search --flags w: the read-only string is not in a writable mapping" 0 \
	"$("$PTDUMP" -t "$A" search 'ptdbg: ready' --flags w -j | jq '.hits | length')"
check_eq "search --max 1: one hit, truncated" "1 true" \
	"$("$PTDUMP" -t "$A" search 'ptdbg: ready' --max 1 -j | jq -r '"\(.hits | length) \(.truncated)"')"
# The code bytes alpha writes at the address it reports ("rx at"), through its space.
rx=$(sed -n 's/^alpha: rx at \(0x[0-9a-f]*\)/\1/p' "$LOG_A")
check_grep "search --hex: the code alpha wrote, at the address it reported" \
	"^alpha +va $(printf '0x%016x' $((rx))) " <("$PTDUMP" -t "$A" search --hex 'b8 2a 00 00 00 c3' --as alpha --user)
# A 64-bit value the kernel wrote: its region's magic, at the region's address.
magic=$("$PTDUMP" -t "$A" region -j | jq -r '.magic')
rpa=$("$PTDUMP" -t "$A" region -j | jq -r '.pa')
check_grep "search --u64: the region's magic at the region's address" "^$rpa\$" \
	<("$PTDUMP" -t "$A" search --u64 "$magic" --kernel -j | jq -r '.hits[].pa' | sort -u)
# map: a well-formed SVG that renders, whose ranges are dump -j's.
for who in "" "--as alpha"; do
	# shellcheck disable=SC2086
	"$PTDUMP" -t "$A" map $who -o "$TMP/map.svg" >/dev/null
	check "map ${who:-(current space)}: the SVG is well-formed (xmllint)" xmllint --noout "$TMP/map.svg"
	check "map ${who:-(current space)}: it renders (rsvg-convert)" rsvg-convert -o "$TMP/map.png" "$TMP/map.svg"
	svg=$(grep -o 'class="range"[^>]*' "$TMP/map.svg" |
		sed -n 's/.*data-va="\([^"]*\)" data-size="\([^"]*\)" data-pa="\([^"]*\)" data-page="\([^"]*\)".*/\1 \2 \3 \4/p' |
		while read -r va size pa page; do printf '%s %d %s %d\n' "$va" "$size" "$pa" "$page"; done)
	# shellcheck disable=SC2086
	dj=$("$PTDUMP" -t "$A" dump $who -j | jq -r '.entries[] | select(.type == "range") | "\(.start) \(.size) \(.pa) \(.page_size)"')
	check_eq "map ${who:-(current space)}: its ranges are dump -j's" "$dj" "$svg"
done
check_grep "map: the markers are named" '>kernel-image</text>' "$TMP/map.svg"
check_status "map without -o is a misuse" 2 "$PTDUMP" -t "$A" map
check_status "search --utf16 with --hex is a misuse" 2 "$PTDUMP" -t "$A" search --hex --utf16 00
check_status "search --align 3 is a misuse" 2 "$PTDUMP" -t "$A" search x --align 3
check_status "search --hex with an odd digit is a misuse" 2 "$PTDUMP" -t "$A" search --hex abc

vm_stop sp-region
vm_stop sp-off

# 5-level paging without the region: PML5 entry 511 is the shared half.
vm_start sp-la57 --scenario default --paging 5 --append 'ptdbg=off'
out=$("$PTDUMP" -t "$VM_TARGET" spaces -j)
check_eq "paging=5, ptdbg=off: the kernel's and both processes' roots, 5 levels" "3 5" \
	"$(jq -r '"\(.spaces | length) \([.spaces[].levels] | unique | join(","))"' <<<"$out")"
qcr3=$("$PTDUMP" -t "$VM_TARGET" monitor "info registers" | sed -n 's/.*CR3=\([0-9a-f]*\).*/\1/p' | head -1)
check_eq "paging=5: the current space is QEMU's CR3" "$(printf '0x%016x' $((0x$qcr3 & ~0xfff)))" \
	"$(jq -r '.spaces[] | select(.current) | .root' <<<"$out")"
vm_stop sp-la57

# dma bug=dma-maps-text: kernel text writable for the edu device; found by both checks.
vm_start sp-dma-text --scenario dma --bug dma-maps-text
tpa=$(sed -n 's/.*bug dma-maps-text: kernel text PA \(0x[0-9a-f]*\).*/\1/p' "$VM_LOG")
fva=$(nm "$KERNEL" | awk '$3 == "run_dma" { print $1 }')
check_eq "dma-maps-text: the kernel mapped the text frame of run_dma" "$(printf '0x%x' $(((0x$fva - 0xffffffff80000000) & ~0xfff)))" "$tpa"
for k in "" "-k $KERNEL"; do
	with=${k:+ with -k}
	# shellcheck disable=SC2086
	out=$("$PTDUMP" -t "$VM_TARGET" $k check --kind dma-maps-kernel-text -j) || true
	check_eq "ptdump check$with: dma-maps-kernel-text names the text frame" "$(printf '0x%016x' $((tpa)))" \
		"$(jq -r '.[] | select(.kind == "dma-maps-kernel-text") | .frame' <<<"$out")"
	# shellcheck disable=SC2086
	out=$("$IOMMUDUMP" -t "$VM_TARGET" $k check --kind dma-maps-kernel-text -j) || true
	check_eq "iommudump check$with: dma-maps-kernel-text names the text frame" "$(printf '0x%016x' $((tpa)))" \
		"$(jq -r '.[] | select(.kind == "dma-maps-kernel-text") | .frame' <<<"$out")"
done
check_grep "iommudump check -k: the frame is the ELF's kernel text" "kernel text \(from the kernel ELF's sections\)" \
	<("$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" check --kind dma-maps-kernel-text)
check_status "ptdump check exits 1 for it" 1 "$PTDUMP" -t "$VM_TARGET" check
check_eq "rmap --iommu of the text frame: the device reaches it writable" "W" \
	"$("$PTDUMP" -t "$VM_TARGET" rmap "$tpa" --iommu -j | jq -r '.iommu[0].flags | map(select(. == "W")) | join(" ")')"
vm_stop sp-dma-text
vm_start sp-dma --scenario dma
check_status "dma without the bug: ptdump check is clean" 0 "$PTDUMP" -t "$VM_TARGET" check --kind dma-maps-kernel-text
check_status "dma without the bug: iommudump check is clean" 0 "$IOMMUDUMP" -t "$VM_TARGET" -k "$KERNEL" check --kind dma-maps-kernel-text
vm_stop sp-dma
