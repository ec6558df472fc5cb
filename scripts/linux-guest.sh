#!/usr/bin/env bash
# scripts/linux-guest.sh: a real Linux guest for the tests, from Debian's packages.
#
#   scripts/linux-guest.sh [--arch x86_64|aarch64] fetch
#       Download Debian 12's newest linux-image-6.1.0-N-amd64-unsigned (arm64 for
#       --arch aarch64) and its -dbg package (apt-get download: nothing is installed)
#       and unpack what the tests use into build/linux/VERSION/: vmlinuz (a bzImage, or
#       arm64's gzipped Image), System.map, config, and vmlinux (symbols and BTF, debug
#       info stripped). Prints that folder's path. Idempotent: a folder already
#       unpacked is used as it is. Exit 1 with one line saying why when the packages
#       cannot be had (no network, no such package; arm64 packages need
#       `dpkg --add-architecture arm64`, which scripts/deps.sh does).
#       LINUX_GUEST_VERSION=6.1.0-N-amd64 (or -arm64) picks a version.
#   scripts/linux-guest.sh [--arch x86_64|aarch64] start --name N --gdb PORT
#                          [--append 'ARGS'] [--timeout SEC] [--uefi]
#                          [--machine ',OPT=V...'] [--device DEV]...
#       Boot build/linux/VERSION/vmlinuz under QEMU TCG (x86_64: q35, -cpu max;
#       aarch64: virt, -cpu max; 1 GiB) with the gdbstub on 127.0.0.1:PORT and no root
#       file system: the kernel sets up its page tables and panics at "VFS: Unable to
#       mount root fs", and then waits there. Returns once that panic is on the serial
#       log (build/vm/N.log), with the VM running; `scripts/vm stop --name N` stops it.
#       --uefi (aarch64): through EDK2 (Debian's qemu-efi-aarch64, QEMU_EFI=FILE
#       picks another), which hands the kernel QEMU's ACPI tables; --machine appends
#       options to -M (",iommu=smmuv3"), --device adds a QEMU device.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-$top/build}
cache=$build/linux
arch=x86_64
if [ "${1:-}" = --arch ]; then arch=${2:?}; shift 2; fi
case "$arch" in
x86_64) deb=amd64 qemu=${QEMU:-qemu-system-x86_64} ;;
aarch64) deb=arm64 qemu=${QEMU:-qemu-system-aarch64} ;;
*) echo "linux-guest: --arch takes x86_64 or aarch64, not '$arch'" >&2; exit 2 ;;
esac

die() { echo "linux-guest: $*" >&2; exit 1; }

# newest: the newest Debian 6.1 kernel version of the architecture that apt knows
# ("6.1.0-57-amd64").
newest() {
	apt-cache search --names-only "^linux-image-6\\.1\\.0-[0-9]+-$deb-unsigned\$" 2>/dev/null |
		sed -n "s/^linux-image-\\(6\\.1\\.0-[0-9]*-$deb\\)-unsigned .*/\\1/p" | sort -V | tail -n 1
}

cmd_fetch() {
	local ver=${LINUX_GUEST_VERSION:-} dir
	if [ -z "$ver" ]; then
		# an unpacked version is good enough when apt cannot be asked
		ver=$(newest || true)
		if [ -z "$ver" ] && [ "$(id -u)" = 0 ]; then
			apt-get update -qq >/dev/null 2>&1 || true
			ver=$(newest || true)
		fi
		if [ -z "$ver" ]; then
			dir=$(ls -d "$cache"/6.1.0-*-"$deb" 2>/dev/null | sort -V | tail -n 1 || true)
			[ -n "$dir" ] && [ -f "$dir/.done" ] && { echo "$dir"; return 0; }
			die "apt knows no linux-image-6.1.0-*-$deb-unsigned package (is this Debian 12 with its mirrors$([ $deb = amd64 ] || echo ", and dpkg --add-architecture $deb")?)"
		fi
	fi
	dir=$cache/$ver
	if [ -f "$dir/.done" ]; then echo "$dir"; return 0; fi
	command -v dpkg-deb >/dev/null || die "dpkg-deb not found"
	mkdir -p "$dir/dl"
	# a download cut short leaves no .deb behind (apt renames it when complete)
	ls "$dir"/dl/linux-image-"$ver"-unsigned_*.deb "$dir"/dl/linux-image-"$ver"-dbg_*.deb >/dev/null 2>&1 ||
	(cd "$dir/dl" && apt-get download "linux-image-$ver-unsigned:$deb" "linux-image-$ver-dbg:$deb") \
		>"$dir/dl/log" 2>&1 || die "cannot download linux-image-$ver-unsigned/-dbg: $(grep -E '^E:' "$dir/dl/log" | head -n 1)"
	local img dbg
	img=$(ls "$dir"/dl/linux-image-"$ver"-unsigned_*.deb) dbg=$(ls "$dir"/dl/linux-image-"$ver"-dbg_*.deb)
	rm -rf "$dir/x" && mkdir -p "$dir/x"
	dpkg-deb -x "$img" "$dir/x" || die "cannot unpack $img"
	# the image's System.map is a stub pointing at -dbg, whose System.map and vmlinux
	# come first in its archive: stop reading it once they are out
	dpkg-deb --fsys-tarfile "$dbg" 2>/dev/null | tar -x -C "$dir/x" --occurrence=1 \
		"./usr/lib/debug/boot/System.map-$ver" "./usr/lib/debug/boot/vmlinux-$ver" 2>/dev/null || true
	[ -s "$dir/x/usr/lib/debug/boot/System.map-$ver" ] || die "no System.map in $dbg"
	mv "$dir/x/boot/vmlinuz-$ver" "$dir/vmlinuz"
	mv "$dir/x/boot/config-$ver" "$dir/config"
	mv "$dir/x/usr/lib/debug/boot/System.map-$ver" "$dir/System.map"
	# the host's objcopy may not know an arm64 ELF; the cross binutils' does
	local objcopy=objcopy
	[ $arch = x86_64 ] || ! command -v "$arch-linux-gnu-objcopy" >/dev/null || objcopy=$arch-linux-gnu-objcopy
	"$objcopy" --strip-debug "$dir/x/usr/lib/debug/boot/vmlinux-$ver" "$dir/vmlinux" 2>/dev/null ||
		mv "$dir/x/usr/lib/debug/boot/vmlinux-$ver" "$dir/vmlinux"
	rm -rf "$dir/x" "$dir/dl"
	echo "$ver" >"$dir/.done"
	echo "$dir"
}

cmd_start() {
	local name="" port="" append="" timeout=120 console uefi="" mopts=""
	local -a devs=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--uefi) uefi=${QEMU_EFI:-/usr/share/qemu-efi-aarch64/QEMU_EFI.fd}; shift ;;
		--machine) mopts=${2?}; shift 2 ;;
		--device) devs+=(-device "${2:?}"); shift 2 ;;
		--name) name=${2:?}; shift 2 ;;
		--gdb) port=${2:?}; shift 2 ;;
		--append) append=${2-}; shift 2 ;;
		--timeout) timeout=${2:?}; shift 2 ;;
		*) die "unknown option '$1'" ;;
		esac
	done
	[ -n "$name" ] && [ -n "$port" ] || die "start needs --name and --gdb"
	local dir vmdir=$build/vm
	dir=$(cmd_fetch) || exit 1
	mkdir -p "$vmdir"
	: >"$vmdir/$name.log"
	local -a machine
	# aarch64: pointer authentication with QEMU's own cheap algorithm (the
	# architected one is most of TCG's time); the kernel's console is the PL011
	case "$arch" in
	x86_64) machine=(-M "q35$mopts" -cpu max) console=ttyS0 ;;
	aarch64) machine=(-M "virt$mopts" -cpu max,pauth-impdef=on) console=ttyAMA0 ;;
	esac
	if [ -n "$uefi" ]; then
		[ -r "$uefi" ] || die "no UEFI firmware at $uefi (scripts/deps.sh installs qemu-efi-aarch64)"
		machine+=(-bios "$uefi")
	fi
	machine+=("${devs[@]}")
	local -a cmd=("$qemu" "${machine[@]}" -accel tcg -m 1G -smp 1 -nodefaults -display none
		-no-reboot -kernel "$dir/vmlinuz" -append "console=$console $append"
		-serial "file:$vmdir/$name.log" -monitor none -gdb "tcp:127.0.0.1:$port"
		-pidfile "$vmdir/$name.pid" -daemonize)
	printf '%q ' "${cmd[@]}" >"$vmdir/$name.cmd"; echo >>"$vmdir/$name.cmd"
	"${cmd[@]}" 2>"$vmdir/$name.err" || die "QEMU failed to start: $(head -n 1 "$vmdir/$name.err")"
	echo "127.0.0.1:$port" >"$vmdir/$name.port"
	local deadline=$((SECONDS + timeout))
	while ! grep -q 'Kernel panic' "$vmdir/$name.log"; do
		kill -0 "$(cat "$vmdir/$name.pid")" 2>/dev/null || die "QEMU exited: $(tail -n 3 "$vmdir/$name.log")"
		[ $SECONDS -lt $deadline ] || die "no panic line within ${timeout}s: $(tail -n 3 "$vmdir/$name.log")"
		sleep 0.2
	done
	echo "gdb: 127.0.0.1:$port"
	echo "log: $vmdir/$name.log"
}

case "${1:-}" in
fetch)
	shift
	# one fetch at a time (suites run in parallel share the cache and apt)
	mkdir -p "$cache"
	exec 9>"$cache/.fetch.lock"
	flock 9
	cmd_fetch "$@" ;;
start) shift; cmd_start "$@" ;;
*) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
