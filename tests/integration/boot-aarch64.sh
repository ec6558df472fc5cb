#!/usr/bin/env bash
# Boot every scenario of the AArch64 reference kernel on QEMU's virt machine and
# check what it exports. Oracles nobody here wrote: the registers as QEMU's gdbstub
# reports them (by name, from the target description's system-register feature),
# QEMU's own translation (monitor gva2gpa) and the CPU's own faults.
. "$(dirname "$0")/../lib.sh"

A64_KERNEL=$BUILD/kernel-aarch64.elf
A64=(--arch aarch64)
GDB=gdb-multiarch

# a64_gdb PORT GDB-COMMAND...: run the commands against the VM, kernel symbols
# loaded, then detach (the VM resumes). Prints gdb's output.
a64_gdb() {
	local port=$1; shift
	local -a ex=()
	local c
	for c in "$@"; do ex+=(-ex "$c"); done
	timeout 30 "$GDB" -nx -batch -ex 'set pagination off' -ex "set remotetimeout 30" -ex "target remote 127.0.0.1:$port" \
		"${ex[@]}" -ex detach "$A64_KERNEL" 2>&1
}
# a64_val PORT EXPR: the value gdb prints for EXPR (p/x), alone.
a64_val() { a64_gdb "$1" "p/x $2" | sed -n 's/^\$1 = //p'; }
# gva2gpa PORT VA: QEMU's translation of VA for the CPU as it is now.
gva2gpa() { a64_gdb "$1" "monitor gva2gpa $2" | tr -d '\r' | sed -n 's/^gpa: //p'; }
sym() { aarch64-linux-gnu-nm "$A64_KERNEL" | awk -v s="$1" '$3==s{print "0x"$1}'; }
hex() { printf '0x%x' "$(($1))"; }

if [ ! -f "$A64_KERNEL" ] || ! command -v qemu-system-aarch64 >/dev/null || ! command -v "$GDB" >/dev/null; then
	not_ok "AArch64 kernel, qemu-system-aarch64 and gdb-multiarch present" \
		"kernel: $A64_KERNEL; run scripts/deps.sh and make"
	exit 0
fi

# The image: entered at its physical load address, symbols in the high half.
check "kernel-aarch64.elf has the ptdbg_region symbol" \
	bash -c "aarch64-linux-gnu-nm '$A64_KERNEL' | grep -qw ptdbg_region"
entry=$(aarch64-linux-gnu-readelf -h "$A64_KERNEL" | awk '/Entry point/{print $4}')
start=$(sym _start)
check_eq "ELF entry is _start's physical address (KERNEL_VBASE + physical)" \
	"$(hex "$start - 0xfffffff000000000")" "$(hex "$entry")"

# --- default: the seed's stages, the region, the registers, QEMU's translation ---
if vm_start a64-default "${A64[@]}"; then
	ok "default boots to ready"
	stages=$(grep -o 'boot stage [0-9]' "$VM_LOG" | tr '\n' ' ')
	check_eq "default: the four boot stages in order" "boot stage 1 boot stage 2 boot stage 3 boot stage 4 " "$stages"
	check_grep "default: stage 1 is the block map with the identity map in TTBR0" \
		'boot stage 1: MMU on with 1 GiB blocks .*identity-mapped through TTBR0' "$VM_LOG"
	check_grep "default: stage 2 runs in the high half" 'boot stage 2: running in the high half: pc 0xfffffff0' "$VM_LOG"
	check_grep "default: stage 4 drops the identity map" 'boot stage 4: identity map dropped' "$VM_LOG"
	check_grep "default: the timer ticks through the GIC" 'ptdbg: timer: generic timer .* via GICv[23]' "$VM_LOG"
	check_grep "default: two processes ran at EL0 and paused" 'default: 2 processes paused' "$VM_LOG"

	# the region: magic, version, even generation, architecture
	out=$(a64_gdb "$VM_PORT" 'p/x ptdbg_region.magic' 'p ptdbg_region.version' \
		'p ptdbg_region.generation % 2' 'p ptdbg_region.arch' 'p/x ptdbg_region.flags')
	vals=$(sed -n 's/^\$[0-9]* = //p' <<<"$out" | tr '\n' ' ')
	check_eq "default: region magic, version $ABI_MAJOR.$ABI_MINOR, even generation, arch AArch64 (2), ready" \
		"0x4e4f494745524450 $(( (ABI_MAJOR << 16) | ABI_MINOR )) 0 2 0x2 " "$vals"

	# TTBR0/TTBR1 by name from the gdbstub's system-register feature
	a64_gdb "$VM_PORT" 'maint print xml-tdesc' >"$TMP/tdesc.xml"
	feat=$(sed -n '/<feature name="org.qemu.gdb.arm.sys.regs">/,/<\/feature>/p' "$TMP/tdesc.xml")
	for r in TTBR0_EL1 TTBR1_EL1 TCR_EL1 MAIR_EL1 SCTLR; do
		check "target description: $r is in org.qemu.gdb.arm.sys.regs" grep -q "<reg name=\"$r\"" <<<"$feat"
	done
	ttbr1=$(a64_val "$VM_PORT" '$TTBR1_EL1')
	ttbr0=$(a64_val "$VM_PORT" '$TTBR0_EL1')
	check_eq "default: TTBR1_EL1 (gdbstub) = the region's ttbr1" "$ttbr1" "$(a64_val "$VM_PORT" ptdbg_region.arm64.ttbr1)"
	check_eq "default: TTBR1_EL1 (gdbstub) = the kernel space's root" "$ttbr1" "$(a64_val "$VM_PORT" 'spaces[0].root')"
	for r in TCR_EL1 MAIR_EL1; do
		check_eq "default: $r (gdbstub) = the region's value" "$(a64_val "$VM_PORT" "\$$r")" \
			"$(a64_val "$VM_PORT" "ptdbg_region.arm64.$(tr 'A-Z' 'a-z' <<<"${r%_EL1}")")"
	done
	check_eq "default: SCTLR (gdbstub) = the region's sctlr" "$(a64_val "$VM_PORT" '$SCTLR')" \
		"$(a64_val "$VM_PORT" ptdbg_region.arm64.sctlr)"
	n=$(a64_val "$VM_PORT" ptdbg_region.spaces.count)
	roots=$(for ((i = 0; i < n; i++)); do a64_val "$VM_PORT" "spaces[$i].root"; done)
	if grep -qx "$ttbr0" <<<"$roots"; then ok "default: TTBR0_EL1 $ttbr0 (gdbstub) is the root of an exported user space"
	else not_ok "default: TTBR0_EL1 $ttbr0 (gdbstub) is the root of an exported user space" "roots: $roots"; fi
	check_eq "default: 36-bit halves, 4 KiB granule in TCR_EL1 (gdbstub)" "28 28 0 2" \
		"$(t=$(a64_val "$VM_PORT" '$TCR_EL1'); echo $((t & 63)) $(((t >> 16) & 63)) $(((t >> 14) & 3)) $(((t >> 30) & 3)))"
	sctlr=$(a64_val "$VM_PORT" '$SCTLR')
	check_eq "default: SCTLR_EL1.M and WXN set (gdbstub)" "1 1" "$((sctlr & 1)) $(((sctlr >> 19) & 1))"

	# QEMU's own translation (gva2gpa) against what the kernel intended
	for s in _start __rodata_start ptdbg_region __data_start; do
		va=$(sym "$s")
		check_eq "gva2gpa: $s $va -> its physical address" "$(hex "$va - 0xfffffff000000000")" "$(gva2gpa "$VM_PORT" "$va")"
	done
	check_eq "gva2gpa: linear map 0xfffffff840200000 -> 0x40200000" 0x40200000 "$(gva2gpa "$VM_PORT" 0xfffffff840200000)"
	uart=$(sed -n 's/.*console at \(0x[0-9a-f]*\).*/\1/p' "$VM_LOG")
	check_eq "gva2gpa: the UART's mapping in the untracked window ($uart) -> 0x9000000" 0x9000000 "$(gva2gpa "$VM_PORT" "$uart")"
	ecam=$(sed -n 's/.*PCIe 00:00.0 id 0x00081b36 through the ECAM mapping at \(0x[0-9a-f]*\).*/\1/p' "$VM_LOG")
	check_eq "gva2gpa: PCIe ECAM in the untracked window ($ecam) -> 0x4010000000" 0x4010000000 "$(gva2gpa "$VM_PORT" "${ecam:-0}")"
	check_eq "default: MMIO is Device-nGnRnE through MAIR_EL1 attribute 1" 0x0 \
		"$(a64_val "$VM_PORT" '($MAIR_EL1 >> 8) & 0xff')"
	check_eq "gva2gpa: the identity alias of the image is gone" "" "$(gva2gpa "$VM_PORT" "$(hex "$start - 0xfffffff000000000")")"
	# a user page: the last page demand paging mapped in the loaded space
	total=$(a64_val "$VM_PORT" ptdbg_region.faults.total)
	found=
	for ((i = $((total)) - 1; i >= 0 && i >= $((total)) - 64; i--)); do
		f=$(a64_gdb "$VM_PORT" "p/x fault_ring[$((i % 256))].cr2" "p/x fault_ring[$((i % 256))].pte" \
			"p fault_ring[$((i % 256))].outcome" "p/x fault_ring[$((i % 256))].cr3" | sed -n 's/^\$[0-9]* = //p' | tr '\n' ' ')
		read -r va pte outcome root <<<"$f"
		if [ "$outcome" = 1 ] && [ "$root" = "$ttbr0" ]; then found=1; break; fi
	done
	if [ -n "$found" ]; then
		want=$(hex "($pte & 0x0000fffffffff000) | ($va & 0xfff)")
		check_eq "gva2gpa: user page $va (fault log) -> $want, the frame its descriptor names" "$want" "$(gva2gpa "$VM_PORT" "$va")"
	else
		not_ok "gva2gpa: a demand-paged user page in the fault log" "total $total, TTBR0 $ttbr0"
	fi

	# a step requested by a debugger: alpha maps, protects and unmaps once more
	a64_gdb "$VM_PORT" 'set var ptdbg_step_request = 1' >/dev/null
	for _ in $(seq 50); do grep -q 'ptdbg: step 1 done' "$VM_LOG" && break; sleep 0.1; done
	check_grep "default: step 1 requested through the gdbstub is done" '^ptdbg: step 1 done' "$VM_LOG"
	check_grep "default: step 1 changed alpha's areas" 'alpha: step done, pausing' "$VM_LOG"
else
	not_ok "default boots to ready" "$(tail -20 "$VM_LOG" 2>/dev/null)"
fi
vm_stop a64-default

# --- every granule and size: default boots, selftest passes ---
for g in "granule=4k va_bits=36" "granule=4k va_bits=39" "granule=4k va_bits=48" \
	"granule=16k va_bits=36" "granule=16k va_bits=48" "granule=64k va_bits=36" \
	"granule=64k va_bits=39" "granule=64k va_bits=48"; do
	out=$(timeout 60 "$TOP/scripts/vm" run "${A64[@]}" --scenario selftest --append "$g" 2>&1); rc=$?
	echo "$out" >"$TMP/selftest.log"
	if [ "$rc" = 0 ] && grep -q '^selftest: [0-9]* passed, 0 failed' "$TMP/selftest.log"; then
		ok "selftest passes with $g ($(sed -n 's/^selftest: \([0-9]*\) passed.*/\1/p' "$TMP/selftest.log") tests, semihosting exit 0)"
	else
		not_ok "selftest passes with $g" "exit $rc" "$(grep -E 'FAIL|panic|selftest: [0-9]' "$TMP/selftest.log")"
	fi
done
# without semihosting the exit falls back to PSCI SYSTEM_OFF (status 0 either way)
out=$(timeout 60 qemu-system-aarch64 -M virt -cpu cortex-a57 -m 256M -nodefaults -display none \
	-no-reboot -serial stdio -kernel "$A64_KERNEL" -append scenario=selftest 2>&1); rc=$?
check_eq "selftest without semihosting: QEMU stops (PSCI SYSTEM_OFF)" 0 "$rc"
check_grep "selftest without semihosting: says so, through the device tree's conduit" \
	'semihosting is off: PSCI SYSTEM_OFF through hvc' <(echo "$out")

for g in "granule=16k" "granule=64k va_bits=48"; do
	name=a64-g${g//[^0-9a-z]/}
	if vm_start "$name" "${A64[@]}" --append "$g"; then
		ok "default boots with $g"
		shift_=$(a64_val "$VM_PORT" ptdbg_region.arm64.granule_shift)
		check_eq "$g: the region's granule matches TCR_EL1.TG1 (gdbstub)" \
			"$(t=$(a64_val "$VM_PORT" '$TCR_EL1'); case $(((t >> 30) & 3)) in 1) echo 0xe;; 2) echo 0xc;; 3) echo 0x10;; esac)" "$shift_"
		check_eq "$g: gva2gpa of _start" "$(hex "$start - 0xfffffff000000000")" "$(gva2gpa "$VM_PORT" "$start")"
		check_eq "$g: the user marker ends where TTBR0's half does (2^(64 - TCR_EL1.T0SZ), gdbstub)" \
			"$(t=$(a64_val "$VM_PORT" '$TCR_EL1'); hex "1 << (64 - (t & 0x3f))")" \
			"$(a64_val "$VM_PORT" "'markers.c'::markers[0].end")"
	else
		not_ok "default boots with $g" "$(tail -5 "$VM_LOG")"
	fi
	vm_stop "$name"
done
vm_start a64-no16k "${A64[@]}" --append granule=16k --qemu-args "-cpu cortex-a57"
check_eq "granule=16k on cortex-a57: vm start exits 3 (panic)" 3 "$VM_STATUS"
check_grep "granule=16k on cortex-a57: the panic names the missing granule" \
	'ptdbg: panic: granule=16k: this CPU has no 16k granule .*TGran16' "$VM_LOG"
vm_stop a64-no16k

# --- memory sizes: RAM beyond the early tables' 4 GiB is in the linear map ---
for mem in 128M 8G; do
	if vm_start "a64-mem$mem" "${A64[@]}" --mem "$mem"; then
		ok "default boots with -m $mem"
		if [ "$mem" = 8G ]; then
			check_eq "-m 8G: gva2gpa of the linear map at physical 0x200000000 (above the early map)" \
				0x200000000 "$(gva2gpa "$VM_PORT" 0xfffffffa00000000)"
		fi
	else
		not_ok "default boots with -m $mem" "$(tail -5 "$VM_LOG")"
	fi
	vm_stop "a64-mem$mem"
done

# --- the interrupt controller and the entry level as virt varies them ---
for m in gic-version=2 gic-version=3 virtualization=on; do
	name=a64-${m//[^0-9a-z]/}
	if vm_start "$name" "${A64[@]}" --qemu-args "-machine $m"; then
		ok "default boots with -machine $m"
		t1=$(a64_val "$VM_PORT" ticks); sleep 0.3; t2=$(a64_val "$VM_PORT" ticks)
		check_eq "-machine $m: the tick advances while idle ($t1 -> $t2)" 1 "$(( t2 > t1 ))"
		case $m in
		gic-version=3) check_grep "-machine $m: GICv3 from the device tree" 'via GICv3' "$VM_LOG" ;;
		virtualization=on)
			check_grep "-machine $m: entered at EL2" 'entered at EL2' "$VM_LOG"
			check_eq "-machine $m: running at EL1 (cpsr from the gdbstub)" 1 \
				"$(( ($(a64_val "$VM_PORT" '$cpsr') >> 2) & 3 ))" ;;
		esac
	else
		not_ok "default boots with -machine $m" "$(tail -5 "$VM_LOG")"
	fi
	vm_stop "$name"
done

# --- hihalf: the seed's boot; with bug=no-identity-map the fetch after the MMU faults ---
if vm_start a64-hihalf "${A64[@]}" --scenario hihalf; then
	ok "hihalf boots to ready"
	check_grep "hihalf: the identity alias faults after stage 4" 'hihalf: the identity alias .* faults now' "$VM_LOG"
else
	not_ok "hihalf boots to ready"
fi
vm_stop a64-hihalf
vm_start a64-noid "${A64[@]}" --scenario hihalf --bug no-identity-map
check_eq "hihalf bug=no-identity-map: vm start exits 3 (panic, left running)" 3 "$VM_STATUS"
check_grep "no-identity-map: an instruction abort, translation fault, reported by the vectors" \
	'exception: EC 0x21 \(instruction abort, same EL\)' "$VM_LOG"
check_grep "no-identity-map: IFSC translation fault at level 1" 'IFSC 0x05 \(translation fault, level 1\)' "$VM_LOG"
if [ "$VM_STATUS" = 3 ]; then
	regs=$(a64_gdb "$VM_PORT" 'p/x $ESR_EL1' 'p/x $FAR_EL1' 'p/x $ELR_EL1' | sed -n 's/^\$[0-9]* = //p' | tr '\n' ' ')
	read -r esr far elr <<<"$regs"
	check_grep "no-identity-map: ESR_EL1/FAR_EL1/ELR_EL1 (gdbstub) as the fault left them" \
		"ESR_EL1 $esr FAR_EL1 $far ELR_EL1 $elr" "$VM_LOG"
	check_eq "no-identity-map: the faulting fetch is the instruction after SCTLR_EL1.M, at a physical address" \
		1 "$(( far == elr && far >= 0x40200000 && far < 0x40300000 ))"
	check_eq "no-identity-map: the region records the panic and the fault" "0x1 0x1 $esr" \
		"$(a64_gdb "$VM_PORT" 'p/x ptdbg_region.flags & 1' 'p/x ptdbg_region.faults.total' 'p/x fault_ring[0].error_code' |
			sed -n 's/^\$[0-9]* = //p' | tr '\n' ' ' | sed 's/ $//')"
fi
vm_stop a64-noid

# --- the other scenarios ---
if vm_start a64-bench "${A64[@]}" --scenario bench; then
	ok "bench boots to ready"
	check_grep "bench: 1,048,576 user 4 KiB pages" 'bench: 1048576 pages mapped' "$VM_LOG"
else
	not_ok "bench boots to ready" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64-bench
# bench=16m's 64 GiB of pages go above the stack, at 64 GiB: not in a 36-bit half
# (memlimit.sh boots it with va_bits=39)
vm_start a64-bench16m-36 "${A64[@]}" --scenario bench --append bench=16m
check_eq "bench=16m with va_bits=36: vm start exits 3 (panic)" 3 "$VM_STATUS"
check_grep "bench=16m with va_bits=36: the panic says which va_bits= fits" \
	'ptdbg: panic: bench: 64 GiB of pages at 0x1000000000 do not fit in the user half \[0, 0x1000000000\): boot with a larger va_bits= \(39 or 48\)' "$VM_LOG"
vm_stop a64-bench16m-36

if vm_start a64-wronly "${A64[@]}" --scenario wronly; then
	ok "wronly boots to ready"
	check_grep "wronly: PROT_WRITE implies PROT_READ" 'write-only mappings work' "$VM_LOG"
else
	not_ok "wronly boots to ready"
fi
vm_stop a64-wronly
if vm_start a64-wronly-bug "${A64[@]}" --scenario wronly --bug wronly-loop; then
	ok "wronly bug=wronly-loop boots to ready"
	check_grep "wronly-loop: the same translation fault again and again, each handled" \
		'wronly: fault loop: [0-9]+ identical faults .* ESR 0x92000047, each "handled"; descriptor .*SW-MAPPED' "$VM_LOG"
else
	not_ok "wronly bug=wronly-loop boots to ready"
fi
vm_stop a64-wronly-bug

if vm_start a64-upt "${A64[@]}" --scenario untracked-pt; then
	ok "untracked-pt boots to ready"
	check_grep "untracked-pt: no reference count moved" ' 0 frames in the range have a negative refcount' "$VM_LOG"
else
	not_ok "untracked-pt boots to ready"
fi
vm_stop a64-upt
if vm_start a64-upt-bug "${A64[@]}" --scenario untracked-pt --bug untracked-as-tracked; then
	ok "untracked-pt bug=untracked-as-tracked boots to ready"
	check_grep "untracked-as-tracked: TRACKED nodes in the untracked window" 'the PTE table there is TRACKED' "$VM_LOG"
	check_grep "untracked-as-tracked: freed frames still mapped" '[1-9][0-9]* pages still mapped have a FREE frame' "$VM_LOG"
else
	not_ok "untracked-pt bug=untracked-as-tracked boots to ready"
fi
vm_stop a64-upt-bug

if vm_start a64-attack "${A64[@]}" --scenario attack; then
	ok "attack boots to ready"
	check_grep "attack: every EL0 access to kernel memory is refused by the CPU" \
		'attack: 9 attempts, 9 killed by a protection fault' "$VM_LOG"
	check_grep "attack: a call into kernel text is an EL0 instruction abort, permission fault" \
		'instruction abort from EL0 at 0xfffffff0.*permission fault' "$VM_LOG"
	check_grep "attack: PAN is on (-cpu max)" 'PAN on' "$VM_LOG"
else
	not_ok "attack boots to ready" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64-attack

if grep -q 'scenario_corrupt' <(aarch64-linux-gnu-nm "$A64_KERNEL"); then
	if vm_start a64-corrupt "${A64[@]}" --scenario corrupt \
		--bug pt-cycle,self-ref,past-ram,mmio,reserved,block-level,region-counts,region-torn; then
		ok "corrupt with every switch boots to ready"
		for b in pt-cycle self-ref past-ram mmio reserved block-level region-counts region-torn; do
			check_grep "corrupt: $b applied" "ptdbg: corrupt: $b: " "$VM_LOG"
		done
		check_eq "corrupt region-torn: the generation is left odd" 0x1 "$(a64_val "$VM_PORT" 'ptdbg_region.generation % 2')"
	else
		not_ok "corrupt with every switch boots to ready" "$(tail -5 "$VM_LOG")"
	fi
	vm_stop a64-corrupt
fi

# --- bad names list the valid ones ---
vm_start a64-bad "${A64[@]}" --scenario no-such-scenario
check_eq "unknown scenario: vm start exits 3 (panic)" 3 "$VM_STATUS"
check_grep "unknown scenario: lists the valid names" 'ptdbg: +hihalf' "$VM_LOG"
check_grep "unknown scenario: panics with a clear message" "ptdbg: panic: unknown scenario 'no-such-scenario'" "$VM_LOG"
vm_stop a64-bad
vm_start a64-badbug "${A64[@]}" --scenario hihalf --bug no-such-bug
check_grep "unknown bug: panics with a clear message" "ptdbg: panic: unknown bug 'no-such-bug'" "$VM_LOG"
vm_stop a64-badbug

# --- the launcher ---
check "scripts/vm qemu-args --arch aarch64: virt, cortex-a57, the AArch64 kernel" \
	bash -c "'$TOP/scripts/vm' qemu-args --arch aarch64 | grep -q -- '-M virt .*-cpu cortex-a57 .*kernel-aarch64.elf'"
check "scripts/vm qemu-args --arch aarch64 --append granule=16k: -cpu max" \
	bash -c "'$TOP/scripts/vm' qemu-args --arch aarch64 --append granule=16k | grep -q -- '-cpu max'"
check_status "scripts/vm --arch aarch64 --paging 5: refused" 1 "$TOP/scripts/vm" qemu-args --arch aarch64 --paging 5
out=$("$TOP/scripts/vm" start "${A64[@]}" --name a64-stopped --stopped 2>&1); rc=$?
check_eq "scripts/vm start --stopped --arch aarch64: exits 0 at once" 0 "$rc"
check_eq "--stopped: the CPU waits at the ELF entry (gdbstub pc)" "$(hex "$entry")" \
	"$(a64_val "$(sed -n 's/^gdb: 127.0.0.1://p' <<<"$out")" '$pc')"
_vms+=(a64-stopped)
vm_stop a64-stopped
