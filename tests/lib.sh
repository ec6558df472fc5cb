# tests/lib.sh: helpers for integration suites (sourced). Emits TAP on stdout.
#
#   ok NAME / not_ok NAME [WHY...]   record a result
#   check NAME CMD...                ok if CMD exits 0; otherwise its output as diagnostics
#   check_status NAME WANT CMD...    ok if CMD exits with status WANT
#   check_eq NAME WANT GOT           ok if the two strings are equal (diff as diagnostics)
#   check_grep NAME REGEX FILE       ok if FILE has a line matching REGEX (grep -E)
#   vm_start NAME [scripts/vm start options]   boot a VM; sets VM_PORT, VM_TARGET, VM_LOG
#   vm_stop NAME                     stop it (all VMs of the suite stop on exit anyway)
set -uo pipefail
: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${BUILD:=$TOP/build}"
export TOP BUILD
cd "$TOP" || exit 1
# The debug-region ABI version the kernel and tools are built with (include/ptdbg/abi.h).
ABI_MAJOR=$(sed -n 's/^#define PTDBG_ABI_MAJOR *\([0-9]*\)u.*/\1/p' include/ptdbg/abi.h)
ABI_MINOR=$(sed -n 's/^#define PTDBG_ABI_MINOR *\([0-9]*\)u.*/\1/p' include/ptdbg/abi.h)
PTDUMP=$BUILD/ptdump
IOMMUDUMP=$BUILD/iommudump
KERNEL=$BUILD/kernel.elf
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ptdbg-test.XXXXXX")
_n=0
_vms=()

STUB_PIDS=()
_cleanup() {
	local v
	for v in "${_vms[@]}"; do "$TOP/scripts/vm" stop --name "$v" >/dev/null 2>&1 || true; done
	for v in "${STUB_PIDS[@]}"; do kill "$v" 2>/dev/null; done
	rm -rf "$TMP"
}
trap _cleanup EXIT

ok() { _n=$((_n + 1)); echo "ok $_n - $1"; }
not_ok() {
	local name=$1; shift
	_n=$((_n + 1)); echo "not ok $_n - $name"
	[ $# -gt 0 ] && printf '%s\n' "$@" | head -40 | sed 's/^/# /'
	return 0
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

check() {
	local name=$1; shift
	local out
	if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "command: $*" "$out"; fi
}
check_status() {
	local name=$1 want=$2; shift 2
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" = "$want" ]; then ok "$name"; else not_ok "$name" "command: $*" "exit status $rc, wanted $want" "$out"; fi
}
check_eq() {
	local name=$1 want=$2 got=$3
	if [ "$want" = "$got" ]; then ok "$name"
	else not_ok "$name" "$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -30)"; fi
}
# check_same NAME WANT GOT: passes when file GOT is not empty and equals file WANT;
# a failure shows the first lines of their diff.
check_same() {
	local name=$1 want=$2 got=$3
	if [ -s "$got" ] && cmp -s "$want" "$got"; then ok "$name"
	elif [ ! -s "$got" ]; then not_ok "$name" "$got is empty or missing"
	else not_ok "$name" "$(diff "$want" "$got" | head -30)"; fi
}
check_grep() {
	local name=$1 re=$2 file=$3
	if grep -qE -- "$re" "$file"; then ok "$name"; else not_ok "$name" "no line matches /$re/ in:" "$(tail -20 "$file")"; fi
}

# without_capstone CMD...: CMD where Capstone's shared library cannot be loaded (a
# private mount namespace with /dev/null bound over the file the loader would open),
# as on a machine without libcapstone. Needs root (unshare -m); exit status 77 when it
# cannot hide the library.
without_capstone() {
	local lib
	lib=$(ldconfig -p 2>/dev/null | awk '/libcapstone\.so\.[0-9]/ { print $NF; exit }')
	[ -n "$lib" ] || return 77
	unshare -m sh -c 'mount --bind /dev/null "$0" 2>/dev/null || exit 77; exec "$@"' "$lib" "$@"
}
# port_in_use PORT, random_free_port: scripts/ports.sh
. "$TOP/scripts/ports.sh"

vm_start() {
	local name=$1; shift
	local out rc=0
	_vms+=("$name")
	local attempt
	for attempt in 1 2 3; do
		# a port found free can be taken before QEMU binds it, and QEMU can fail to
		# start at all on a loaded machine (status 1, nothing in its log): try again
		VM_PORT=$(random_free_port)
		rc=0
		out=$("$TOP/scripts/vm" start --name "$name" --gdb "$VM_PORT" "$@" 2>&1) || rc=$?
		if grep -q 'Address already in use' <<<"$out"; then continue; fi
		[ $rc = 1 ] && [ ! -s "$BUILD/vm/$name.log" ] && [ $attempt -lt 3 ] || break
		diag "QEMU did not start for $name; once more"
	done
	VM_TARGET=$(sed -n 's/^gdb: //p' <<<"$out")
	[ -n "$VM_TARGET" ] || VM_TARGET=127.0.0.1:$VM_PORT
	VM_LOG=$BUILD/vm/$name.log
	VM_STATUS=$rc
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then diag "vm start $name $* failed ($rc):" "$out"; fi
	return $rc
}
# stub_start [fakestub options] IMAGE: a fake gdbstub (tests/fakestub) serving IMAGE
# on a free port with a packet log, the VM "running". Sets STUB, STUB_PID, STUB_LOG;
# _cleanup kills it.
stub_start() {
	local port i attempt
	for attempt in 1 2 3 4 5; do
		port=$(random_free_port)
		STUB_LOG=$TMP/stub.$port.log
		"$BUILD/tests/fakestub" -r -l "$STUB_LOG" "${@:1:$#-1}" "$port" "${@: -1}" 2>>"$TMP/stub.err" &
		STUB_PID=$!
		STUB_PIDS+=("$STUB_PID")
		STUB=127.0.0.1:$port
		# wait until it listens; a stub that could not bind (the port was taken
		# meanwhile) is retried elsewhere
		for i in $(seq 200); do
			port_in_use "$port" && return 0
			kill -0 "$STUB_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill "$STUB_PID" 2>/dev/null
	done
	diag "the fake stub did not start: $(tail -3 "$TMP/stub.err")"
}
stub_stop() { kill "$STUB_PID" 2>/dev/null; wait "$STUB_PID" 2>/dev/null; }
vm_stop() { "$TOP/scripts/vm" stop --name "$1" >/dev/null 2>&1 || true; }
