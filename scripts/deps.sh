#!/usr/bin/env bash
# scripts/deps.sh: install the Debian packages ptdbg needs that are missing.
# Does nothing (and needs no network) when everything is present.
# Run as root, or as a user with sudo.
set -euo pipefail

pkgs=(
	make gcc clang pkg-config                # build
	qemu-system-x86 qemu-system-arm          # the VMs (q35 and virt)
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu  # the AArch64 kernel
	gdb-multiarch                            # gdb for AArch64 guests
	libelf-dev libcapstone-dev libreadline-dev                  # the tools
	libcmocka-dev                            # unit-test framework
	gdb jq valgrind tmux iproute2            # gdb scripts, tests (tmux drives the shell, ss finds free ports)
	gnuplot-nox                              # make bench: the scale plot
	bpftool                                  # tests/integration/linux.sh: a kernel's BTF
	libclang-rt-14-dev                       # make fuzz (clang -fsanitize=fuzzer)
	libxml2-utils librsvg2-bin               # tests: the address-space picture (xmllint, rsvg-convert)
	qemu-efi-aarch64                         # tests/integration/iort-aarch64.sh: EDK2 for virt (ACPI, IORT)
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# tests/integration/linux-aarch64.sh downloads Debian's arm64 kernel packages (never
# installs them): apt must know the arm64 architecture
arm64=""
dpkg --print-foreign-architectures | grep -qx arm64 || arm64=yes
[ ${#missing[@]} -eq 0 ] && [ -z "$arm64" ] && exit 0

sudo=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}${arm64:+ (and dpkg --add-architecture arm64)}" >&2; exit 1; }
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
if [ -n "$arm64" ]; then
	echo "deps: dpkg --add-architecture arm64 (package lists only)"
	$sudo dpkg --add-architecture arm64
fi
$sudo apt-get update -qq
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
