#!/usr/bin/env bash
# Boot every scenario of the reference kernel and check what it exports.
# Oracles: gdb's view of the CPU registers, QEMU's own `info tlb`.
. "$(dirname "$0")/../lib.sh"

# gdb_reg PORT REG: a register as gdb reads it through the gdbstub (detaching resumes the VM).
gdb_reg() {
	gdb -nx -batch -ex "set remotetimeout 30" -ex "target remote 127.0.0.1:$1" -ex "p/x \$$2" -ex detach 2>/dev/null |
		sed -n 's/^\$1 = //p'
}

# region_ok NAME: the debug region of the running VM has the right magic, version,
# an even generation, and an address space whose root is the CR3 the CPU uses.
region_ok() {
	local name=$1 j cr3
	j=$("$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" region -j 2>&1) || { not_ok "$name: region readable" "$j"; return; }
	check_eq "$name: region magic" "0x4e4f494745524450" "$(jq -r .magic <<<"$j")"
	check_eq "$name: region ABI version" "$ABI_MAJOR.$ABI_MINOR" "$(jq -r '"\(.version_major).\(.version_minor)"' <<<"$j")"
	check_eq "$name: region generation even, ready, not torn" "0 true false" \
		"$(jq -r '"\(.generation % 2) \(.ready) \(.torn)"' <<<"$j")"
	cr3=$(gdb_reg "$VM_PORT" cr3)
	if [ -z "$cr3" ]; then not_ok "$name: gdb reads CR3"; return; fi
	local roots
	roots=$(jq -r '.spaces[].root' <<<"$j" | while read -r r; do printf '0x%x\n' $((r)); done)
	if grep -qx "$(printf '0x%x' $((cr3 & ~0xfff)))" <<<"$roots"; then
		ok "$name: CR3 $cr3 (gdb) is the root of an exported address space"
	else
		not_ok "$name: CR3 $cr3 (gdb) is the root of an exported address space" "roots: $roots"
	fi
}

check "kernel ELF has the ptdbg_region symbol" bash -c "nm '$KERNEL' | grep -qw ptdbg_region"

# default at three memory sizes, including RAM above 4 GiB
for mem in 128M 512M 12G; do
	if vm_start "boot-$mem" --mem "$mem"; then
		ok "default boots to ready with -m $mem"
		region_ok "default -m $mem"
		[ "$mem" = 12G ] && check_grep "default -m 12G sees RAM above 4 GiB" \
			'mem \[0x000100000000-' "$VM_LOG"
	else
		not_ok "default boots to ready with -m $mem" "$(tail -20 "$VM_LOG" 2>/dev/null)"
	fi
	vm_stop "boot-$mem"
done

# QEMU's own view of the default layout: user ranges, kernel text not writable, data NX.
if vm_start boot-layout; then
	"$PTDUMP" -t "$VM_TARGET" monitor info tlb >"$TMP/tlb" 2>&1
	"$PTDUMP" -t "$VM_TARGET" monitor info mem >"$TMP/mem" 2>&1
	text=$(nm "$KERNEL" | awk '$3=="__text_start"{print $1}')
	data=$(nm "$KERNEL" | awk '$3=="__data_start"{print $1}')
	check_grep "info mem: user ranges (u) in the lower half" '^0000[0-7][0-9a-f]{11}-[0-9a-f]+ [0-9a-f]+ ur' "$TMP/mem"
	check_grep "info tlb: kernel text is mapped, not writable, executable" \
		"^$text: [0-9a-f]+ -G-[-D][-A]---[-]$" "$TMP/tlb"
	check_grep "info tlb: kernel data is mapped non-executable" "^$data: [0-9a-f]+ XG-[-D][-A]---W$" "$TMP/tlb"
	if grep -E ': [0-9a-f]+ -.{6}.W$' "$TMP/tlb" >/dev/null; then
		not_ok "info tlb: no writable and executable page" "$(grep -E ': [0-9a-f]+ -.{6}.W$' "$TMP/tlb" | head)"
	else
		ok "info tlb: no writable and executable page"
	fi
	check_grep "info tlb: the untracked window maps the LAPIC" ': 00000000fee00000 X' "$TMP/tlb"
fi
vm_stop boot-layout

# 5-level paging
if vm_start boot-la57 --paging 5; then
	ok "default boots with paging=5"
	region_ok "paging=5"
	cr4=$(gdb_reg "$VM_PORT" cr4)
	check_eq "paging=5: CR4.LA57 set (gdb)" 1 $(( (cr4 >> 12) & 1 ))
	check_eq "paging=5: region says 5 levels" 5 "$("$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" region -j | jq .cpu.paging_levels)"
else
	not_ok "default boots with paging=5"
fi
vm_stop boot-la57

# paging=5 on a CPU without LA57: a clear panic, VM left for inspection (status 3)
vm_start boot-nola57 --paging 5 --qemu-args "-cpu qemu64"
check_eq "paging=5 without LA57: vm start exits 3 (panic)" 3 "$VM_STATUS"
check_grep "paging=5 without LA57: the panic says why" 'ptdbg: panic: .*(LA57|5-level)' "$VM_LOG"
vm_stop boot-nola57

# bad names
vm_start boot-bad --scenario no-such-scenario
check_eq "unknown scenario: vm start exits 3 (panic)" 3 "$VM_STATUS"
check_grep "unknown scenario: lists the valid names" 'ptdbg: +default' "$VM_LOG"
check_grep "unknown scenario: panics with a clear message" "ptdbg: panic: unknown scenario 'no-such-scenario'" "$VM_LOG"
vm_stop boot-bad
vm_start boot-badbug --bug no-such-bug
check_grep "unknown bug: panics with a clear message" "ptdbg: panic: unknown bug 'no-such-bug'" "$VM_LOG"
vm_stop boot-badbug

# the region can be switched off; the tools then say so
if vm_start boot-noregion --append ptdbg=off; then
	out=$("$PTDUMP" -t "$VM_TARGET" region 2>&1); rc=$?
	check_eq "ptdbg=off: ptdump region exits 2" 2 "$rc"
	check_eq "ptdbg=off: and says no region was found" 1 "$(grep -c 'no debug region' <<<"$out")"
	check "ptdbg=off: ptdump dump still works from registers alone" "$PTDUMP" -t "$VM_TARGET" dump
else
	not_ok "default boots with ptdbg=off"
fi
vm_stop boot-noregion

# selftest: in-kernel tests of the page-table module, exit through isa-debug-exit
out=$(timeout 120 "$TOP/scripts/vm" run --scenario selftest 2>&1); rc=$?
echo "$out" >"$TMP/selftest.log"
check_eq "selftest passes (isa-debug-exit)" 0 "$rc"
check_grep "selftest prints its results" '^selftest: ok ' "$TMP/selftest.log"
if grep -q 'selftest: FAIL' "$TMP/selftest.log"; then
	not_ok "selftest: no failing case" "$(grep 'selftest: FAIL' "$TMP/selftest.log")"
else
	ok "selftest: no failing case"
fi

# bench: at least 1,048,576 present 4 KiB pages in one user address space
if vm_start boot-bench --scenario bench; then
	leaves=$("$PTDUMP" -t "$VM_TARGET" -k "$KERNEL" dump --user --as bench | sed -n 's/^# \([0-9]*\) leaves.*/\1/p')
	if [ "${leaves:-0}" -ge 1048576 ]; then ok "bench: $leaves user leaves (>= 1048576)"
	else not_ok "bench: at least 1048576 user leaves" "got: $leaves"; fi
else
	not_ok "bench boots to ready"
fi
vm_stop boot-bench

# a kernel that never gets ready: stopped after the timeout, status 1, the log's tail
out=$("$TOP/scripts/vm" start --name boot-never --timeout 3 --qemu-args "-S" 2>&1); rc=$?
check_eq "never ready: vm start exits 1" 1 "$rc"
check_grep "never ready: vm start says so" 'not ready within 3s' <(echo "$out")
check "never ready: QEMU was stopped" bash -c "! '$TOP/scripts/vm' list | grep -q '^boot-never '"

# the launcher itself
check_status "scripts/vm: unknown command exits 2" 2 "$TOP/scripts/vm" frobnicate
check_status "scripts/vm start: unknown option exits 1" 1 "$TOP/scripts/vm" start --frob
check "scripts/vm list works" "$TOP/scripts/vm" list
