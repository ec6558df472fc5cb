#!/usr/bin/env bash
# Every address space on the AArch64 reference kernel: `spaces` from the debug region,
# from the registers and a scan of RAM (with the region ignored, and on a kernel booted
# with ptdbg=off), --all-spaces dump, check, save and diff, rmap (and --iommu on the
# SMMUv3), search, map and dma-maps-kernel-text.
# Oracles nobody here wrote: the TTBRs as gdb reads them, QEMU's own ARM translation
# (monitor gva2gpa) of every address rmap and search report for the running process
# and the kernel, reads through the gdbstub in virtual mode (gdb's x), QEMU's
# smmuv3_translate_success trace of the DMA the edu device performed; and facts the
# kernel set up: the roots it lists in its region and prints at boot, the corrupt
# scenario's damaged victim, the dma scenario's dma-maps-text switch.
. "$(dirname "$0")/../lib.sh"

A64_KERNEL=$BUILD/kernel-aarch64.elf
GDB=gdb-multiarch
if [ ! -f "$A64_KERNEL" ] || ! command -v qemu-system-aarch64 >/dev/null || ! command -v "$GDB" >/dev/null; then
	not_ok "AArch64 kernel, qemu-system-aarch64 and gdb-multiarch present" "run scripts/deps.sh and make"
	exit 0
fi
roots() { jq -r '.spaces[] | select(.kind == "kernel" or .kind == "user") | .root' | sort; }
hex16() { printf '0x%016x' "$(($1))"; }
# gva2gpa TARGET VA: QEMU's translation through the CPU's TTBRs, or "unmapped".
gva2gpa() {
	local out
	out=$("$PTDUMP" -t "$1" monitor gva2gpa "$2" 2>&1 | tr -d '\r')
	case "$out" in
	gpa:*) hex16 "$(sed -n 's/^gpa: //p' <<<"$out")" ;;
	*) echo unmapped ;;
	esac
}
# gdb_eval TARGET CMD...: what gdb prints for each command, through the gdbstub.
gdb_eval() {
	local t=$1; shift
	local -a ex=()
	local c
	for c in "$@"; do ex+=(-ex "$c"); done
	timeout 30 "$GDB" -nx -batch -ex 'set architecture aarch64' -ex "set remotetimeout 30" -ex "target remote $t" "${ex[@]}" 2>/dev/null
}

vm_start s64-region --arch aarch64 --scenario default
A=$VM_TARGET LOG_A=$VM_LOG
vm_start s64-off --arch aarch64 --scenario default --append 'ptdbg=off'
B=$VM_TARGET

want=$("$PTDUMP" -t "$A" region -j | jq -r '.spaces[] | select(.live and (.kind == "kernel" or .kind == "user")) | .root' | sort)
check_eq "the region lists the kernel's and both processes' spaces" 3 "$(grep -c . <<<"$want")"
kroot=$(sed -n 's/.*kernel space in TTBR1_EL1 \(0x[0-9a-f]*\).*/\1/p' "$LOG_A" | head -1)
check_grep "the kernel's TTBR1 root, as it printed it at boot, is among them" "^$(hex16 "$kroot")\$" <(echo "$want")

out=$("$PTDUMP" -t "$A" spaces -j)
check_eq "spaces with the region: the region's roots" "$want" "$(roots <<<"$out")"
check_eq "spaces with the region: kernel in TTBR1, processes in TTBR0" "alpha TTBR0,beta TTBR0,kernel TTBR1" \
	"$(jq -r '[.spaces[] | "\(.space) \(.half)"] | sort | join(",")' <<<"$out")"

# From the registers and RAM, on the same VM and on one without the region.
read -r t0 t1 < <(gdb_eval "$A" 'p/x $TTBR0_EL1' 'p/x $TTBR1_EL1' | sed -n 's/^\$[0-9]* = //p' | tr '\n' ' ')
for v in "$A --scan" "$B"; do
	# shellcheck disable=SC2086
	set -- $v
	tgt=$1 what=${2:-"ptdbg=off"}
	out=$("$PTDUMP" -t "$tgt" spaces ${2:-} -j)
	check_eq "spaces $what: the region's roots, from registers and RAM" "$want" \
		"$(jq -r '.spaces[] | select(.confidence == "certain" or .confidence == "likely") | .root' <<<"$out" | sort)"
	check_eq "spaces $what: found by a scan, RAM from QEMU's memory map" "scan info mtree" \
		"$(jq -r '"\(.found) \(.ram.source)"' <<<"$out")"
	check_eq "spaces $what: the other process's root found by the scan, said how sure" "scan likely" \
		"$(jq -r '[.spaces[] | select(.how == "scan") | "\(.how) \(.confidence)"] | join(",")' <<<"$out")"
	if [ "$tgt" = "$A" ]; then
		check_eq "spaces $what: TTBR1's and TTBR0's roots are the ones gdb reads" \
			"$(hex16 "$t1 & 0xfffffffffffe") $(hex16 "$t0 & 0xfffffffffffe")" \
			"$(jq -r '[(.spaces[] | select(.how == "ttbr1") | .root), (.spaces[] | select(.how == "ttbr0") | .root)] | join(" ")' <<<"$out")"
	fi
done
check_eq "ptdbg=off --no-fast-path: the same roots over the gdbstub" "$want" \
	"$("$PTDUMP" -t "$B" --no-fast-path spaces -j | jq -r '.spaces[] | select(.confidence != "possible") | .root' | sort)"
text=$("$PTDUMP" -t "$B" spaces)
check_grep "ptdbg=off: the text says how each root was found" "^root=0x[0-9a-f]+ +user +0x[0-9a-f]+ +3 +scan, likely " <(echo "$text")

# --all-spaces: each space's own half; the kernel's TTBR1 once.
dj=$("$PTDUMP" -t "$A" dump --all-spaces -j)
check_eq "dump --all-spaces: one object per space, the region's names" "alpha beta kernel" \
	"$(jq -r '[.[].space] | sort | join(" ")' <<<"$dj")"
check_eq "dump --all-spaces: TTBR1's ranges only in the kernel's space" 0 \
	"$(jq '[.[] | select(.space != "kernel") | .entries[] | select(.type == "range") | select(.start >= "0x8")] | length' <<<"$dj")"
rng() { jq -r '.entries[] | select(.type == "range") | "\(.start) \(.size) \(.pa)"'; }
check_eq "dump --all-spaces: the kernel's space is dump --ttbr1" "$("$PTDUMP" -t "$A" dump --ttbr1 -j | rng)" \
	"$(jq '.[] | select(.space == "kernel")' <<<"$dj" | rng)"
check_eq "dump --all-spaces: the running process's space is dump --ttbr0" "$("$PTDUMP" -t "$A" dump --ttbr0 -j | rng)" \
	"$(jq '.[] | select(.space == "beta")' <<<"$dj" | rng)"
check_eq "dump --all-spaces without the region: three spaces" 3 "$("$PTDUMP" -t "$B" dump --all-spaces -j | jq length)"
check_status "check --all-spaces: the default scenario is clean" 0 "$PTDUMP" -t "$A" check --all-spaces
check_eq "save --all-spaces: every space" 3 "$("$PTDUMP" -t "$B" save --all-spaces "$TMP/all.snap" -j | jq '.spaces')"
check_status "diff of --all-spaces against the live VM: no change" 0 "$PTDUMP" -t "$B" diff "$TMP/all.snap"
"$PTDUMP" -t "$A" save "$TMP/halves.snap" >/dev/null
check_status "save and diff without a selection: the CPU's two halves, no change" 0 "$PTDUMP" -t "$A" diff "$TMP/halves.snap"

# rmap of a frame of the running process: every address it reports is one QEMU
# translates to that frame, the process's own and the linear map's among them.
uva=$("$PTDUMP" -t "$A" dump --ttbr0 -j | jq -r '[.entries[] | select(.type == "range")][0].start')
upa=$(gva2gpa "$A" "$uva")
out=$("$PTDUMP" -t "$A" rmap "$upa" 4096 -j)
check_eq "rmap of a user frame: the user address and one linear-map alias" "beta $uva,kernel" \
	"$(jq -r '[.mappings[] | if .space == "beta" then "beta \(.va)" else .space end] | sort | join(",")' <<<"$out")"
bad=""
for va in $(jq -r '.mappings[].va' <<<"$out"); do
	[ "$(gva2gpa "$A" "$va")" = "$upa" ] || bad+=" $va"
done
check_eq "rmap: QEMU translates every address rmap gives to the frame" "" "$bad"
check_eq "rmap: the user mapping is EL0-accessible, the alias not" "USR " \
	"$(jq -r '[.mappings[] | .flags | map(select(. == "USR")) | join(" ")] | sort | reverse | join(" ")' <<<"$out")"
check_eq "rmap without the region: the same addresses" "$(jq -r '.mappings[].va' <<<"$out" | sort)" \
	"$("$PTDUMP" -t "$B" rmap "$("$PTDUMP" -t "$B" monitor gva2gpa "$uva" | tr -d '\r' | sed -n 's/^gpa: //p')" 4096 -j | jq -r '.mappings[].va' | sort)"

# search: the string the kernel prints, at its image address (the ELF's) and its
# linear alias; both read 'ptdbg: ready' through the gdbstub and map one frame.
objcopy -O binary -j .rodata "$A64_KERNEL" "$TMP/rodata.bin" 2>/dev/null ||
	aarch64-linux-gnu-objcopy -O binary -j .rodata "$A64_KERNEL" "$TMP/rodata.bin"
off=$(grep -obUa 'ptdbg: ready' "$TMP/rodata.bin" | head -1 | cut -d: -f1)
rbase=$(aarch64-linux-gnu-readelf -SW "$A64_KERNEL" | sed -n 's/.* \.rodata  *PROGBITS  *\([0-9a-f]*\) .*/\1/p')
sva=$(hex16 "0x$rbase + $off")
out=$("$PTDUMP" -t "$A" search 'ptdbg: ready' -j)
check_grep "search: the kernel's string at its image address" "^$sva\$" <(jq -r '.hits[].va' <<<"$out")
check_eq "search: two aliases of one frame" "2 1" "$(jq -r '"\(.hits | length) \([.hits[].pa] | unique | length)"' <<<"$out")"
spa=$(gva2gpa "$A" "$sva")
bad=""
for va in $(jq -r '.hits[].va' <<<"$out"); do
	[ "$(gva2gpa "$A" "$va")" = "$spa" ] || bad+=" $va:translation"
	gdb_eval "$A" "x/s $va" | grep -q '"ptdbg: ready' || bad+=" $va:read"
done
check_eq "search: QEMU translates and reads both hits as the string" "" "$bad"
check_eq "search --all-spaces: the kernel half searched once" "$(jq -r '.hits[].va' <<<"$out" | sort)" \
	"$("$PTDUMP" -t "$A" search --all-spaces 'ptdbg: ready' -j | jq -r '.hits[] | "\(.va)"' | sort)"
check_eq "search without the region: the same addresses" "$(jq -r '.hits[].va' <<<"$out" | sort)" \
	"$("$PTDUMP" -t "$B" search 'ptdbg: ready' -j | jq -r '.hits[].va' | sort)"
check_eq "search --flags w: not in a writable mapping" 0 "$("$PTDUMP" -t "$A" search 'ptdbg: ready' --flags w -j | jq '.hits | length')"
check_eq "search --user: not in TTBR0's half" 0 "$("$PTDUMP" -t "$A" search 'ptdbg: ready' --user -j | jq '.hits | length')"
rx=$(sed -n 's/^alpha: rx at \(0x[0-9a-f]*\)/\1/p' "$LOG_A")
check_grep "search --hex --as alpha: the code alpha wrote, at the address it reported" \
	"^alpha +va $(hex16 "$rx") " <("$PTDUMP" -t "$A" search --hex '40 05 80 52 c0 03 5f d6' --as alpha --user)
check_grep "search --hex --all-spaces finds alpha's code without the region too" "^root=0x[0-9a-f]+ +va $(hex16 "$rx") " \
	<("$PTDUMP" -t "$B" search --hex '40 05 80 52 c0 03 5f d6' --all-spaces --user)
magic=$("$PTDUMP" -t "$A" region -j | jq -r '.magic')
rpa=$("$PTDUMP" -t "$A" region -j | jq -r '.pa')
check_grep "search --u64: the region's magic at the region's address" "^$rpa\$" \
	<("$PTDUMP" -t "$A" search --u64 "$magic" --kernel -j | jq -r '.hits[].pa' | sort -u)

# map: a well-formed SVG that renders, whose ranges are dump -j's (both halves).
for who in "" "--as alpha"; do
	# shellcheck disable=SC2086
	"$PTDUMP" -t "$A" map $who -o "$TMP/map.svg" >/dev/null
	check "map ${who:-(running process)}: the SVG is well-formed (xmllint)" xmllint --noout "$TMP/map.svg"
	check "map ${who:-(running process)}: it renders (rsvg-convert)" rsvg-convert -o "$TMP/map.png" "$TMP/map.svg"
	svg=$(grep -o 'class="range"[^>]*' "$TMP/map.svg" |
		sed -n 's/.*data-va="\([^"]*\)" data-size="\([^"]*\)" data-pa="\([^"]*\)" data-page="\([^"]*\)".*/\1 \2 \3 \4/p' |
		while read -r va size pa page; do printf '%s %d %s %d\n' "$va" "$size" "$pa" "$page"; done)
	if [ -z "$who" ]; then
		dj=$("$PTDUMP" -t "$A" dump -j | jq -r '.[].entries[] | select(.type == "range") | "\(.start) \(.size) \(.pa) \(.page_size)"')
	else
		dj=$("$PTDUMP" -t "$A" dump --all-spaces -j | jq -r '.[] | select(.space == "alpha" or .space == "kernel") | .entries[] | select(.type == "range") | "\(.start) \(.size) \(.pa) \(.page_size)"' | sort)
		svg=$(sort <<<"$svg")
	fi
	check_eq "map ${who:-(running process)}: its ranges are dump -j's" "$dj" "$svg"
done
check_grep "map: the markers are named" '>kernel-image</text>' "$TMP/map.svg"
check_grep "map: the halves are TTBR0's and TTBR1's" 'TTBR1 \(kernel\)' "$TMP/map.svg"
check_status "--cr3 with a misaligned root is an error" 2 "$PTDUMP" -t "$A" search x --cr3 0x1

vm_stop s64-region
vm_stop s64-off

# The corrupt scenario's victim, whose tables the kernel damaged on purpose
# (bug=reserved: output-address bits above the output size), is the CPU's TTBR0
# while the kernel idles: check finds it with the region, without it (the tables in
# force), and --all-spaces walks its root once whatever it is called.
vm_start s64-corrupt --arch aarch64 --scenario corrupt --bug reserved
vroot=$("$PTDUMP" -t "$VM_TARGET" region -j | jq -r '.spaces[] | select(.name == "victim") | .root')
check_status "corrupt bug=reserved: check with the region covers its live spaces, the victim too" 1 \
	"$PTDUMP" -t "$VM_TARGET" check --kind reserved-bits
check_grep "corrupt bug=reserved: check without the region finds it in the tables in force (TTBR0)" \
	'reserved-bits .*\[TTBR0\]' <("$PTDUMP" -t "$VM_TARGET" --region off check --kind reserved-bits)
out=$("$PTDUMP" -t "$VM_TARGET" check --all-spaces --kind reserved-bits -j) || true
check_eq "check --all-spaces: reserved-bits found once per descriptor, the victim's root among the nodes" "2 yes" \
	"$(jq -r --arg r "$vroot" '[.[] | select(.kind == "reserved-bits")] | "\(length) \(if any(.[]; .node == $r) then "yes" else "no" end)"' <<<"$out")"
check_status "check --all-spaces exits 1 for it" 1 "$PTDUMP" -t "$VM_TARGET" check --all-spaces
vm_stop s64-corrupt

# The SMMUv3: rmap --iommu finds the IOVA QEMU's SMMU translated (its trace events),
# and dma bug=dma-maps-text (kernel text writable for the edu device) is flagged by
# dma-maps-kernel-text, with and without -k; the fixed case, without the region, is clean.
trace=$TMP/smmu.trace
vm_start s64-dma-text --arch aarch64 --scenario dma --bug dma-maps-text --qemu-args "-trace smmuv3_translate_success,file=$trace"
T=$VM_TARGET
tpa=$(sed -n 's/.*bug dma-maps-text: kernel text PA \(0x[0-9a-f]*\).*/\1/p' "$VM_LOG")
fva=$(aarch64-linux-gnu-nm "$A64_KERNEL" | awk '$3 == "run_dma" { print $1 }')
check_eq "dma-maps-text: the kernel mapped the text frame of run_dma" "$(printf '0x%x' $(((0x$fva - 0xfffffff000000000) & ~0xfff)))" "$tpa"
last=$(sed -n 's/^smmuv3_translate_success .* sid=\(0x[0-9a-f]*\) iova=\(0x[0-9a-f]*\) translated=\(0x[0-9a-f]*\).*/\1 \2 \3/p' "$trace" | tail -1)
if [ -n "$last" ]; then
	read -r tsid tiova tpa2 <<<"$last"
	out=$("$PTDUMP" -t "$T" rmap "$tpa2" --iommu -j)
	check_eq "rmap --iommu of a DMA buffer: the stream and IOVA QEMU's SMMU translated to it" "$((tsid)) $(hex16 "$tiova")" \
		"$(jq -r '.iommu[] | "\(.sid) \(.iova)"' <<<"$out")"
	check_eq "rmap --iommu: the buffer's linear-map alias in the kernel's space" "$(hex16 "0xfffffff800000000 + $tpa2")" \
		"$(jq -r '.mappings[] | select(.va >= "0xfffffff8") | .va' <<<"$out")"
	check_eq "rmap --iommu: QEMU translates that alias to the buffer" "$(hex16 "$tpa2")" \
		"$(gva2gpa "$T" "$(jq -r '.mappings[] | select(.va >= "0xfffffff8") | .va' <<<"$out")")"
else
	not_ok "QEMU traced the edu device's DMA through the SMMU" "$(head -3 "$trace")"
fi
for k in "" "-k $A64_KERNEL"; do
	# shellcheck disable=SC2086
	out=$("$PTDUMP" -t "$T" $k check --kind dma-maps-kernel-text -j) || true
	check_eq "check${k:+ with -k}: dma-maps-kernel-text names the text frame" "$(hex16 "$tpa")" \
		"$(jq -r '.[] | select(.kind == "dma-maps-kernel-text") | .frame' <<<"$out")"
done
check_grep "check -k: the frame is the ELF's kernel text" "kernel text \(from the kernel ELF's sections\)" \
	<("$PTDUMP" -t "$T" -k "$A64_KERNEL" check --kind dma-maps-kernel-text)
check_status "check exits 1 for it" 1 "$PTDUMP" -t "$T" check --kind dma-maps-kernel-text
check_eq "rmap --iommu of the text frame: the device reaches it writable (EL1-writable, RW)" "RW" \
	"$("$PTDUMP" -t "$T" rmap "$tpa" --iommu -j | jq -r '.iommu[0].flags | map(select(. == "RW")) | join(" ")')"
vm_stop s64-dma-text
vm_start s64-dma --arch aarch64 --scenario dma --append 'ptdbg=off'
check_eq "dma, no region: rmap --iommu finds the SMMU from QEMU's memory map" 16 \
	"$("$PTDUMP" -t "$VM_TARGET" rmap 0x40113000 --iommu -j | jq -r '.iommu[0].sid')"
check_status "dma without the bug: check is clean" 0 "$PTDUMP" -t "$VM_TARGET" check --kind dma-maps-kernel-text
check_status "dma without the bug, -k: check is clean" 0 "$PTDUMP" -t "$VM_TARGET" -k "$A64_KERNEL" check --kind dma-maps-kernel-text
vm_stop s64-dma

# The default scenario with the SMMU (scripts/vm --smmu on): processes and a device.
trace=$TMP/smmu-default.trace
vm_start s64-smmu-default --arch aarch64 --smmu on --qemu-args "-trace smmuv3_translate_success,file=$trace"
last=$(sed -n 's/^smmuv3_translate_success .* sid=\(0x[0-9a-f]*\) iova=\(0x[0-9a-f]*\) translated=\(0x[0-9a-f]*\).*/\1 \2 \3/p' "$trace" | tail -1)
if [ -n "$last" ]; then
	read -r tsid tiova tpa2 <<<"$last"
	out=$("$PTDUMP" -t "$VM_TARGET" rmap "$tpa2" --iommu -j)
	check_eq "default --smmu on: rmap --iommu finds the stream and IOVA QEMU's SMMU translated" "$((tsid)) $(hex16 "$tiova")" \
		"$(jq -r '.iommu[] | "\(.sid) \(.iova)"' <<<"$out")"
else
	not_ok "default --smmu on: QEMU traced the edu device's DMA" "$(head -3 "$trace")"
fi
check_eq "default --smmu on: spaces finds the kernel and both processes" "alpha beta kernel" \
	"$("$PTDUMP" -t "$VM_TARGET" spaces -j | jq -r '[.spaces[].space] | sort | join(" ")')"
check_status "default --smmu on: check --all-spaces is clean, the device tables included" 0 \
	"$PTDUMP" -t "$VM_TARGET" check --all-spaces
vm_stop s64-smmu-default
echo "1..$_n"
