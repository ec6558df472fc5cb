#!/usr/bin/env bash
# scripts/demo.sh: what `make demo` shows. Boots the default scenario, shows what the
# kernel exported and what ptdump and iommudump see, then stops the VM; then boots
# the AArch64 kernel and shows its high-half boot and QEMU's translation of it; then
# iommudump on the AArch64 kernel's SMMUv3: a recorded fault, and the seed's DMA panic.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$top/build}
cd "$top"
name=demo
trap 'scripts/vm stop --name $name >/dev/null 2>&1; scripts/vm stop --name demo-a64 >/dev/null 2>&1
      scripts/vm stop --name demo-smmu >/dev/null 2>&1' EXIT

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }
# stepf FILTER TITLE CMD...: step, its output through the shell words FILTER.
stepf() {
	local f=$1; shift
	printf '\n\033[1m== %s\033[0m\n$ %s | %s\n' "$1" "${*:2}" "$f"
	"${@:2}" | eval "$f"
	return "${PIPESTATUS[0]}"
}

echo "Booting the reference kernel (scenario default) under QEMU..."
out=$(scripts/vm start --name $name) || { echo "$out"; exit 1; }
echo "$out"
target=$(sed -n 's/^gdb: //p' <<<"$out")
K=(-t "$target" -k "$BUILD/kernel.elf")

step "The serial console up to 'ptdbg: ready'" tail -n 12 "$BUILD/vm/$name.log"
step "What the kernel exports in its debug region" "$BUILD/ptdump" "${K[@]}" region
step "The current address space, coalesced" "$BUILD/ptdump" "${K[@]}" dump
step "One address, level by level" "$BUILD/ptdump" "${K[@]}" walk kmain
step "The same tables as QEMU's own 'info mem' prints them" "$BUILD/ptdump" "${K[@]}" dump --format=info-mem
step "Checks over every address space (exit 0: nothing wrong)" "$BUILD/ptdump" "${K[@]}" check
echo "(exit status $?)"
mkdir -p "$BUILD/demo"
step "A picture of the current address space, both halves" "$BUILD/ptdump" "${K[@]}" map -o "$BUILD/demo/default.svg"
step "Every address space, found from RAM alone" "$BUILD/ptdump" "${K[@]}" spaces --scan
if [ -x "$BUILD/iommudump" ]; then
	step "The VT-d remapping unit" "$BUILD/iommudump" "${K[@]}" regs
	step "VT-d root and context entries" "$BUILD/iommudump" "${K[@]}" ctx
	step "VT-d checks (exit 0: nothing wrong)" "$BUILD/iommudump" "${K[@]}" check
	echo "(exit status $?)"
fi
echo
echo "The picture of the default scenario's address space: $BUILD/demo/default.svg"
echo "Stopping the VM. Try it yourself: scripts/vm start; build/ptdump -t 127.0.0.1:PORT -k build/kernel.elf shell"
scripts/vm stop --name $name >/dev/null 2>&1

a64=$BUILD/kernel-aarch64.elf
if [ -f "$a64" ] && command -v qemu-system-aarch64 >/dev/null && command -v gdb-multiarch >/dev/null; then
	echo
	echo "Booting the AArch64 kernel (QEMU virt, linked at 0xfffffff000000000 + its load address)..."
	out=$(scripts/vm start --arch aarch64 --name demo-a64) || { echo "$out"; exit 1; }
	port=$(sed -n 's/^gdb: 127.0.0.1://p' <<<"$out")
	start=$(aarch64-linux-gnu-nm "$a64" | awk '$3=="_start"{print "0x"$1}')
	step "The seed's boot, stage by stage" grep -E 'boot stage|ptdbg: paging|ptdbg: ready' "$BUILD/vm/demo-a64.log"
	step "QEMU's own translation of _start ($start) and the registers, by name" \
		gdb-multiarch -nx -batch -ex "target remote 127.0.0.1:$port" -ex "monitor gva2gpa $start" \
		-ex 'p/x $TTBR1_EL1' -ex 'p/x $TCR_EL1' -ex 'p/x $SCTLR' -ex detach "$a64"
	A=(-t "127.0.0.1:$port" -k "$a64")
	step "ptdump: the translation registers, field by field" "$BUILD/ptdump" "${A[@]}" regs
	step "ptdump: both halves, TTBR0 and TTBR1, coalesced" "$BUILD/ptdump" "${A[@]}" dump
	step "ptdump: _start level by level (the same physical address as gva2gpa's)" \
		"$BUILD/ptdump" "${A[@]}" walk _start --exec
	step "ptdump: checks, the region's included (exit 0: nothing wrong)" "$BUILD/ptdump" "${A[@]}" check
	echo "(exit status $?)"
	scripts/vm stop --name demo-a64 >/dev/null 2>&1
	echo
	echo "The seed's first attempt: the MMU on without the identity mapping, triaged from gdb..."
	step "make triage ARCH=aarch64 SCENARIO=hihalf BUG=no-identity-map" \
		env ARCH=aarch64 BUILD="$BUILD" gdb-scripts/triage hihalf no-identity-map
	echo
	echo "Try it yourself: make qemu ARCH=aarch64 SCENARIO=hihalf BUG=no-identity-map"
fi

if [ -f "$a64" ] && command -v qemu-system-aarch64 >/dev/null; then
	scripts/vm stop --name demo-a64 >/dev/null 2>&1
	echo
	echo "Booting the AArch64 kernel behind QEMU's SMMUv3 (scenario dma-fault: DMA to an IOVA never mapped)..."
	out=$(scripts/vm start --arch aarch64 --name demo-smmu --scenario dma-fault) || { echo "$out"; exit 1; }
	A=(-t "$(sed -n 's/^gdb: //p' <<<"$out")" -k "$a64")
	stepf "head -n 2" "The SMMU, found from the debug region (the device tree or QEMU's memory tree without it)" \
		"$BUILD/iommudump" "${A[@]}" regs
	stepf "head -n 6" "The event queue as QEMU's SMMU filled it" "$BUILD/iommudump" "${A[@]}" faults
	fa=$(sed -n 's/.*dma-fault: edu 00:02.0 writes IOVA \(0x[0-9a-f]*\).*/\1/p' "$BUILD/vm/demo-smmu.log")
	stepf "grep -v '^    '" "That IOVA through stream 0x10's STE, CD and stage-1 table" \
		"$BUILD/iommudump" "${A[@]}" walk 0x10 "${fa:-0x0}" --write
	stepf "head -n 3" "SMMU checks (exit 1: a hidden fault and pending events)" "$BUILD/iommudump" "${A[@]}" check
	scripts/vm stop --name demo-smmu >/dev/null 2>&1
	echo
	echo "Booting dma-high with bug=dma-window-4g: the kernel panics, the SMMU explains why..."
	out=$(scripts/vm start --arch aarch64 --name demo-smmu --scenario dma-high --bug dma-window-4g --mem 10G 2>/dev/null)
	step "The serial console's last lines" tail -n 2 "$BUILD/vm/demo-smmu.log"
	A=(-t "$(sed -n 's/^gdb: //p' <<<"$out")" -k "$a64")
	step "Post mortem: check" "$BUILD/iommudump" "${A[@]}" check
	step "Post mortem: the buffers and the panic" "$BUILD/iommudump" "${A[@]}" bufs
	echo
	echo "Stopping the VM. Try it yourself: make triage ARCH=aarch64 SCENARIO=dma-high BUG=dma-window-4g"
fi
