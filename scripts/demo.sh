#!/usr/bin/env bash
# scripts/demo.sh: what `make demo` shows. Boots the default scenario, shows what the
# kernel exported and what ptdump and iommudump see, then stops the VM.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$top/build}
cd "$top"
name=demo
trap 'scripts/vm stop --name $name >/dev/null 2>&1' EXIT

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

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
