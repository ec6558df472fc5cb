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
	gdb jq valgrind tmux                     # gdb scripts, tests (tmux drives the shell)
	gnuplot-nox                              # make bench: the scale plot
	bpftool                                  # tests/integration/linux.sh: a kernel's BTF
	libclang-rt-14-dev                       # make fuzz (clang -fsanitize=fuzzer)
	libxml2-utils librsvg2-bin               # tests: the address-space picture (xmllint, rsvg-convert)
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
