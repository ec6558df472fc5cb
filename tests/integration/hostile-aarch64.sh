#!/usr/bin/env bash
# Hostile guests and broken links on AArch64: what corrupt.sh and robust.sh check
# on x86-64.
#
#  - The corrupt scenario's AArch64 switches (the victim is the CPU's TTBR0 there):
#    every command of both tools ends within 20 s, under ulimit -v, with status 0,
#    1 or 2; ptdump check names the damage; ptdump walk agrees with QEMU's own
#    translation (monitor gva2gpa) at every damaged address.
#  - The SMMUv3 switches (smmu-strtab-past-ram, smmu-cd-self, smmu-evtq-index):
#    every command in time; QEMU's own register file shows the damage.
#  - The attack scenario: the same for every command.
#  - A fake gdbstub speaking QEMU virt's target description, serving the tables of
#    a capture of the reference kernel (tests/fuzz/corpus/arm64/g4k-dump-text):
#    link faults end with status 2 and one line within --timeout, the VM resumed
#    and PhyMemMode restored; no command of either tool sends a write, a
#    breakpoint or a writing monitor command.
. "$(dirname "$0")/../lib.sh"

A64_KERNEL=$BUILD/kernel-aarch64.elf
FAKESTUB=$BUILD/tests/fakestub
SEED=$TOP/tests/fuzz/corpus/arm64/g4k-dump-text
if [ ! -f "$A64_KERNEL" ] || [ ! -x "$PTDUMP" ] || [ ! -x "$FAKESTUB" ] || ! command -v qemu-system-aarch64 >/dev/null; then
	not_ok "AArch64 kernel, the tools, the fake stub and qemu-system-aarch64 present" "run scripts/deps.sh, make and make test-bins"
	exit 0
fi
K=(-k "$A64_KERNEL")
MEMLIMIT=1048576 # KiB of address space for each command (ulimit -v)

# ---- the fake stub -------------------------------------------------------------

# The seed: a 128-byte parameter block (registers), then sparse records. The image
# is its pages laid out flat from the lowest; REGS the fake stub's -R options.
IMG=$TMP/a64.img
read -r BASE REGS < <(python3 - "$SEED" "$IMG" <<'EOF'
import sys, struct
d = open(sys.argv[1], "rb").read()
off, pages = 128, {}
while off + 10 <= len(d):
    a, l = struct.unpack_from("<QH", d, off); off += 10
    b = pages.setdefault(a & ~0xfff, bytearray(4096))
    n = min(l, 4096 - (a & 0xfff), len(d) - off)
    b[a & 0xfff:(a & 0xfff) + n] = d[off:off + n]; off += l
lo, hi = min(pages), max(pages) + 4096
img = bytearray(hi - lo)
for pg, b in pages.items(): img[pg - lo:pg - lo + 4096] = b
open(sys.argv[2], "wb").write(img)
r = struct.unpack_from("<13Q", d)
names = ["TTBR0_EL1", "TTBR1_EL1", "TCR_EL1", "MAIR_EL1", "SCTLR_EL1", "cpsr", None, None, None, None, None, None, "pc"]
print("%#x" % lo, " ".join("-R %s=%x" % (n, v) for n, v in zip(names, r) if n))
EOF
)
# VBAR_EL1 at the vectors' page of the capture's kernel image (mapped: no pc-unmapped)
PC=$(sed -n 's/.*-R pc=\([0-9a-f]*\).*/\1/p' <<<"$REGS")
REGS+=" -R VBAR_EL1=$(printf '%x' $(( 0x$PC & ~0xfff )))"

# a64_stub [fakestub options]: serve IMG at BASE as an AArch64 guest (stub_start).
a64_stub() {
	# shellcheck disable=SC2086
	stub_start -a "${ARCH_OPT:-aarch64}" $REGS -b "$BASE" "$@" "$IMG"
}

# run_tool OUT ERR CMD...: under the memory limit and a 60 s timeout; RC, SECS.
run_tool() {
	local out=$1 err=$2 t0
	shift 2
	t0=$(date +%s%N)
	(ulimit -v $MEMLIMIT; exec timeout -k 5 60 "$@") >"$out" 2>"$err"
	RC=$?
	SECS=$(( ($(date +%s%N) - t0) / 1000000000 ))
}
fails_clearly() {
	local name=$1 max=$2 lines
	shift 2
	run_tool "$TMP/out" "$TMP/err" "$@"
	lines=$(grep -c . "$TMP/err")
	if [ "$RC" = 2 ] && [ "$lines" = 1 ] && [ "$SECS" -le "$max" ]; then
		ok "$name: status 2, one line ($(head -c 120 "$TMP/err"))"
	else
		not_ok "$name: status 2 and one line within ${max}s" "command: $*" \
			"status $RC after ${SECS}s, $lines lines on stderr:" "$(head -5 "$TMP/err")"
	fi
}
left_as_found() {
	check_eq "$1: VM resumed, PhyMemMode restored" "#disconnect running=1 phymem=0" \
		"$(grep '^#disconnect' "$STUB_LOG" | tail -1)"
}

a64_stub
run_tool "$TMP/ref" "$TMP/err" "$PTDUMP" -t "$STUB" --region off dump
check_eq "fake AArch64 stub: ptdump dump exits 0" 0 "$RC"
check_grep "fake AArch64 stub: the capture's kernel half is shown (TTBR1)" '^---\[ TTBR1 \]---$' "$TMP/ref"
run_tool "$TMP/out" "$TMP/err" "$PTDUMP" -t "$STUB" --region off -j regs
check_grep "fake AArch64 stub: ptdump regs says aarch64 (its target description)" '"arch":"aarch64"' "$TMP/out"
cp "$TMP/out" "$TMP/regs.ref"
left_as_found "fake AArch64 stub"
stub_stop

# the description as QEMU serves it: features in documents of their own, asked for
# together and ahead, in pieces of uneven length; the same registers and dump
a64_stub -X
run_tool "$TMP/out" "$TMP/err" "$PTDUMP" -t "$STUB" --region off -j regs
check_eq "description in included documents, uneven pieces: the same registers" \
	"$(cat "$TMP/regs.ref")" "$(cat "$TMP/out")"
check_eq "included documents: each fetched whole (feat0.xml, feat1.xml asked for)" 2 \
	"$(grep -o 'qXfer:features:read:feat[0-9]*\.xml:0,' "$STUB_LOG" | sort -u | wc -l)"
run_tool "$TMP/out" "$TMP/err" "$PTDUMP" -t "$STUB" --region off dump
check_eq "included documents: the same dump" "$(cat "$TMP/ref")" "$(cat "$TMP/out")"
left_as_found "included documents"
stub_stop

# iommudump reads no CPU register: the architecture from target.xml alone, none of
# the documents it includes, no `p`. The fake guest has no SMMU: the error says so
# (an AArch64 answer), on one line.
a64_stub -X
: >"$STUB_LOG"
fails_clearly "iommudump on a guest without an SMMU" 6 "$IOMMUDUMP" -t "$STUB" --timeout 2 --region off ctx
check_grep "iommudump: AArch64 from target.xml alone (it looks for an SMMUv3)" 'SMMUv3' "$TMP/err"
check_grep "iommudump: target.xml asked for" 'qXfer:features:read:target.xml:' "$STUB_LOG"
check_eq "iommudump: no included document asked for" 0 "$(grep -c 'qXfer:features:read:feat' "$STUB_LOG")"
check_eq "iommudump: no CPU register read" 0 "$(grep -c '^p[0-9a-f]*$' "$STUB_LOG")"
left_as_found "iommudump"
# the same log shows them when a command reads registers: the two counts above can fail
: >"$STUB_LOG"
run_tool "$TMP/out" "$TMP/err" "$PTDUMP" -t "$STUB" --region off regs
check "ptdump regs on the same stub: included documents and \`p\` reads logged" \
	test "$(grep -c 'qXfer:features:read:feat' "$STUB_LOG")" -gt 0 -a "$(grep -c '^p[0-9a-f]*$' "$STUB_LOG")" -gt 0
stub_stop

for mode in stall drop badsum nak oversize; do
	a64_stub -m "$mode" -n 12
	fails_clearly "AArch64 link fault $mode" 6 "$PTDUMP" -t "$STUB" --timeout 2 --region off dump
	case $mode in
	badsum|oversize) left_as_found "AArch64 link fault $mode" ;;
	esac
	stub_stop
done
for spec in "badsum -p 3" "nak -p 3"; do
	# shellcheck disable=SC2086
	a64_stub -m $spec -n 20
	run_tool "$TMP/out" "$TMP/err" "$PTDUMP" -t "$STUB" --timeout 2 --region off dump
	if [ "$RC" = 0 ] && cmp -s "$TMP/out" "$TMP/ref"; then ok "AArch64, one packet in 3 faulty ($spec): retried, same output"
	else not_ok "AArch64, one packet in 3 faulty ($spec): retried, same output" "status $RC" "$(head -3 "$TMP/err")"; fi
	left_as_found "AArch64, one packet in 3 faulty ($spec)"
	stub_stop
done
a64_stub -m ereply -n 12
run_tool "$TMP/out" "$TMP/err" "$PTDUMP" -t "$STUB" --timeout 2 --region off check
check_eq "AArch64, every read fails (E01): check exits 1" 1 "$RC"
check_grep "AArch64, every read fails (E01): check finds table-unreadable" 'table-unreadable' "$TMP/out"
left_as_found "AArch64, every read fails (E01)"
stub_stop
a64_stub -m no-phymem
fails_clearly "AArch64, no PhyMemMode" 6 "$PTDUMP" -t "$STUB" --timeout 2 dump
check_grep "AArch64, no PhyMemMode: says so" 'physical memory mode' "$TMP/err"
stub_stop
# a description without the system registers: nothing to walk with
ARCH_OPT=aarch64-nosys a64_stub
fails_clearly "AArch64 description without the system registers" 6 "$PTDUMP" -t "$STUB" --timeout 2 --region off dump
check_grep "no system registers: the missing registers are named" 'TTBR|TCR|system register' "$TMP/err"
left_as_found "no system registers"
stub_stop

# read-only: every command's packets
a64_stub
snap=$TMP/live.snap
"$PTDUMP" -t "$STUB" --region off save "$snap" >/dev/null 2>&1
va=0x$(printf '%x' $(( 0x$PC & ~0xfff )))
cmds=(
	"$PTDUMP dump" "$PTDUMP -j dump" "$PTDUMP dump --ttbr0 --absent --nodes" "$PTDUMP dump --ttbr1 --range $va-$(printf '0x%x' $((va + 0x200000)))"
	"$PTDUMP walk $va --exec" "$PTDUMP walk 0x400000 --user --write" "$PTDUMP check" "$PTDUMP regs" "$PTDUMP region"
	"$PTDUMP spaces" "$PTDUMP rmap $BASE" "$PTDUMP save $TMP/s2.snap" "$PTDUMP diff $snap" "$PTDUMP x $va 4"
	"$PTDUMP map -o $TMP/m.svg"
	"$IOMMUDUMP ctx" "$IOMMUDUMP regs" "$IOMMUDUMP faults" "$IOMMUDUMP check" "$IOMMUDUMP bufs" "$IOMMUDUMP save $TMP/v.snap"
)
bad=()
for c in "${cmds[@]}"; do
	: >"$STUB_LOG"
	# shellcheck disable=SC2086
	run_tool "$TMP/out" "$TMP/err" $c -t "$STUB" --region off --timeout 3
	name="read-only on AArch64: ${c#"$BUILD/"}"
	[ "$RC" -le 2 ] || bad+=("$name: exit $RC $(head -2 "$TMP/err")")
	writes=$(grep -E '^[MXPGZ]' "$STUB_LOG" | head -3)
	mons=$(sed -n 's/^qRcmd,//p' "$STUB_LOG" | while read -r h; do printf '%b\n' "$(sed 's/../\\x&/g' <<<"$h")"; done |
		grep -vE '^(info (status|mtree -f|registers|mem|tlb)|gpa2hva .*)$')
	if [ -z "$writes" ] && [ -z "$mons" ]; then ok "$name: no write, breakpoint or writing monitor command"
	else not_ok "$name: no write, breakpoint or writing monitor command" "$writes" "$mons"; fi
	check_eq "$name: VM resumed, PhyMemMode restored" "#disconnect running=1 phymem=0" \
		"$(grep '^#disconnect' "$STUB_LOG" | tail -1)"
done
if [ ${#bad[@]} -eq 0 ]; then ok "fake AArch64 stub: every command ends with 0, 1 or 2"
else not_ok "fake AArch64 stub: every command ends with 0, 1 or 2" "${bad[@]}"; fi
: >"$STUB_LOG"
printf 'dump\nregs\nwalk %s\ncheck\nquit\n' "$va" | timeout -k 5 60 "$PTDUMP" -t "$STUB" --region off shell >/dev/null 2>&1
if grep -qE '^[MXPGZ]' "$STUB_LOG"; then not_ok "read-only on AArch64: ptdump shell" "$(grep -E '^[MXPGZ]' "$STUB_LOG" | head -3)"
else ok "read-only on AArch64: ptdump shell sends no write"; fi
stub_stop

# ---- the corrupt scenario on QEMU ------------------------------------------------

# run_tools NAME: every command of both tools against the running VM: each ends
# within 20 s, under the memory limit, with status 0, 1 or 2.
run_tools() {
	local name=$1 c rc bad=() slow=0 t0 s
	local -a cmds=(
		"$PTDUMP check" "$PTDUMP dump" "$PTDUMP -j dump" "$PTDUMP dump --ttbr0 --absent --nodes"
		"$PTDUMP walk 0x408000" "$PTDUMP walk 0x403000 --user --write" "$PTDUMP walk 0x80000000 --exec"
		"$PTDUMP region --frames" "$PTDUMP faults" "$PTDUMP spaces" "$PTDUMP rmap 0x40100000 0x100000"
		"$PTDUMP save $TMP/s.snap" "$PTDUMP diff $TMP/s.snap" "$PTDUMP x 0x400000 4" "$PTDUMP regs"
		"$PTDUMP map -o $TMP/m.svg"
		"$IOMMUDUMP check" "$IOMMUDUMP ctx" "$IOMMUDUMP bufs" "$IOMMUDUMP regs" "$IOMMUDUMP faults"
		"$IOMMUDUMP save $TMP/v.snap"
	)
	for c in "${cmds[@]}"; do
		t0=$(date +%s%N)
		# shellcheck disable=SC2086
		(ulimit -v $MEMLIMIT; exec timeout 20 $c -t "$VM_TARGET" "${K[@]}") >"$TMP/out" 2>&1
		rc=$?
		s=$(( ($(date +%s%N) - t0) / 1000000 ))
		[ "$s" -gt "$slow" ] && slow=$s
		[ "$rc" -le 2 ] || bad+=("${c#"$BUILD/"}: exit $rc $(tail -2 "$TMP/out")")
	done
	if [ ${#bad[@]} -eq 0 ]; then ok "$name: ${#cmds[@]} commands of both tools end with 0, 1 or 2 within 20 s under ulimit -v $MEMLIMIT (slowest ${slow} ms)"
	else not_ok "$name: every command of both tools ends with 0, 1 or 2 within 20 s under ulimit -v $MEMLIMIT" "${bad[@]}"; fi
}

kinds() { "$PTDUMP" -t "$VM_TARGET" "${K[@]}" check -j 2>/dev/null | jq -r '[.[].kind] | unique | join(",")'; }

# gva2gpa VA: QEMU's translation, "unmapped" if it has none.
gva2gpa() {
	local out
	out=$("$PTDUMP" -t "$VM_TARGET" --stay-stopped monitor gva2gpa "$1" 2>&1 | tr -d '\r')
	case "$out" in
	gpa:*) printf '0x%x\n' "$(sed -n 's/^gpa: //p' <<<"$out")" ;;
	*Unmapped*) echo unmapped ;;
	*) echo "error: $out" ;;
	esac
}
# walk_pa VA: the PA ptdump's walk gives for an EL1 read, or "unmapped". QEMU's
# gva2gpa translates for the CPU as it is (a read the permissions refuse has no
# translation) but as a debugger: the access flag is not checked (a leaf with AF
# clear still translates).
walk_pa() {
	"$PTDUMP" -t "$VM_TARGET" --stay-stopped -j walk "$1" | python3 -c '
import json, sys
t = json.load(sys.stdin)["translation"]
af = t["result"].startswith("access flag fault") and "pa" in t
print("%#x" % int(t["pa"], 16) if t["result"] == "ok" or af else "unmapped")'
}
# agree NAME WANT VA...: ptdump walk = gva2gpa at each VA, and the first = WANT
# (a PA or "unmapped"; "-" for no expectation).
agree() {
	local name=$1 want=$2 va w q bad=() what=""
	shift 2
	[ "$want" = - ] || what=" ($1 -> $want)"
	for va in "$@"; do
		w=$(walk_pa "$va")
		q=$(gva2gpa "$va")
		[ "$w" = "$q" ] || bad+=("$va: ptdump walk $w, gva2gpa $q")
	done
	[ "$want" = - ] || [ "$(walk_pa "$1")" = "$want" ] || bad+=("$1: wanted $want, ptdump walk $(walk_pa "$1")")
	if [ ${#bad[@]} -eq 0 ]; then ok "$name: ptdump walk = QEMU gva2gpa at $# addresses$what"
	else not_ok "$name: ptdump walk = QEMU gva2gpa" "${bad[@]}"; fi
}
# logged BUG N: the Nth "0x... -> 0x..." value the kernel logged for switch BUG.
logged() { grep "^ptdbg: corrupt: $1: " "$VM_LOG" | sed -n "$2s/.* -> \(0x[0-9a-f]*\):.*/\1/p"; }

A64=(--arch aarch64 --mem 128M)
# The intact victim: nothing to report.
if vm_start a64c-intact "${A64[@]}" --scenario corrupt; then
	check_status "AArch64 corrupt, no switch: ptdump check finds nothing" 0 "$PTDUMP" -t "$VM_TARGET" "${K[@]}" check
	agree "AArch64 corrupt, no switch" - 0x400000 0x401000 0x402000 0x600000 0x40000000 0x80000000 0x403000
	run_tools "AArch64 corrupt, no switch"
else
	not_ok "AArch64 corrupt boots without a switch" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64c-intact

# switch BUG WANT_KINDS: boot corrupt with one switch; every command; the kinds.
switch() {
	local bug=$1 want=$2
	if ! vm_start "a64c-$bug" "${A64[@]}" --scenario corrupt --bug "$bug"; then
		not_ok "AArch64 corrupt bug=$bug boots to ready" "$(tail -5 "$VM_LOG")"
		return 1
	fi
	run_tools "AArch64 corrupt bug=$bug"
	check_eq "AArch64 corrupt bug=$bug: ptdump check kinds" "$want" "$(kinds)"
}

if switch pt-cycle "recursive-table,user-maps-kernel-frame"; then
	agree "pt-cycle: the leaf mapping its own table" "$(printf '0x%x' $(( ($(logged pt-cycle 1) & 0xfffffffff000) )))" 0x408000 0x800000 0x801000 0x400000
fi
vm_stop a64c-pt-cycle
if switch self-ref "recursive-table,reserved-bits"; then
	check_status "self-ref: the recursive slot is a warning and a CPU-visible error, check exits 1" 1 \
		"$PTDUMP" -t "$VM_TARGET" "${K[@]}" check
	agree "self-ref: through the recursive slot" - 0xf80000000 0xf80001000 0xf80003000 0xf87c00000 0xfbe000000
fi
vm_stop a64c-self-ref
if switch past-ram "leaf-outside-ram,table-outside-ram"; then
	agree "past-ram: the leaf past RAM" 0x7f00000000 0x403000
	check_grep "past-ram: walk says the table past RAM is not RAM, and does not read it" 'is not RAM' \
		<("$PTDUMP" -t "$VM_TARGET" walk 0xa00000)
fi
vm_stop a64c-past-ram
if switch mmio "leaf-outside-ram,table-outside-ram"; then
	agree "mmio: the user leaf on the GIC distributor" 0x8000000 0x404000
	# QEMU's own walk reads the distributor's registers as descriptors; ptdump does
	# not read device memory as a table (a read there can have side effects)
	check_grep "mmio: walk says the table in the GIC distributor is not RAM, and does not read it" \
		'table at 0x0000000008000000 is not RAM' <("$PTDUMP" -t "$VM_TARGET" walk 0xc01000)
fi
vm_stop a64c-mmio
if switch reserved "reserved-bits"; then
	for va in 0x401000 0x40000000; do
		check_grep "reserved: ptdump walk $va: an address size fault" '"result":"address size fault' \
			<("$PTDUMP" -t "$VM_TARGET" -j walk "$va")
		diag "disagreement: at $va QEMU translates (gva2gpa $(gva2gpa $va)): it ignores bit 49 (RES0) where ptdump takes it as an address size fault"
	done
	n=$("$PTDUMP" -t "$VM_TARGET" "${K[@]}" check -j | jq '[.[] | select(.kind == "reserved-bits")] | length')
	check_eq "reserved: the page and the table pointer are named" 2 "$n"
	diag "not yet reported: RES0 bits 20:17 of the level-2 block (QEMU translates it: $(gva2gpa 0x600000))"
fi
vm_stop a64c-reserved
if switch block-level "reserved-bits"; then
	agree "block-level: a block at level 3 is invalid (translation fault)" unmapped 0x80000000
fi
vm_stop a64c-block-level

# The region's damage: warnings, bounded output, the tables still walked.
if vm_start a64c-region "${A64[@]}" --scenario corrupt --bug region-counts; then
	run_tools "AArch64 region-counts"
	"$PTDUMP" -t "$VM_TARGET" "${K[@]}" region >"$TMP/r.out" 2>"$TMP/r.err"
	check_grep "AArch64 region-counts: the damage is named" 'not plausible|exceeds capacity' "$TMP/r.err"
	check_status "AArch64 region-counts: the CPU tables are still walked" 0 "$PTDUMP" -t "$VM_TARGET" "${K[@]}" dump
else
	not_ok "AArch64 corrupt bug=region-counts boots" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64c-region
if vm_start a64c-torn "${A64[@]}" --scenario corrupt --bug region-torn; then
	run_tools "AArch64 region-torn"
	check_grep "AArch64 region-torn: the copy is said torn" 'torn read: generation [0-9]+ is odd' \
		<("$PTDUMP" -t "$VM_TARGET" "${K[@]}" region 2>&1)
else
	not_ok "AArch64 corrupt bug=region-torn boots" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64c-torn

# Every switch at once, in the other granules.
for g in 64k 16k; do
	if vm_start "a64c-many-$g" "${A64[@]}" --scenario corrupt --append "granule=$g" \
		--bug pt-cycle,self-ref,past-ram,mmio,reserved,block-level; then
		run_tools "AArch64 six switches, $g granule"
		agree "six switches, $g granule" - 0x400000 0x401000 0x402000 0x403000 0x404000 0x80000000
	else
		not_ok "AArch64 corrupt boots with six switches, $g granule" "$(tail -5 "$VM_LOG")"
	fi
	vm_stop "a64c-many-$g"
done

# The SMMUv3's damage (the unit's own registers and memory, read by QEMU's monitor,
# are the oracle that it is there), and what iommudump's check makes of it. The
# stream table past RAM hides every STE, so the CD-table loop has a boot of its own.
# xp WIDTH ADDR: one value QEMU reads at a physical address (registers included).
xp() { "$PTDUMP" -t "$VM_TARGET" --stay-stopped monitor xp "/1$1x" "$2" | tr -d '\r' | awk '{print $2}'; }
if vm_start a64c-smmu "${A64[@]}" --smmu on --scenario corrupt --bug smmu-strtab-past-ram,smmu-evtq-index; then
	run_tools "AArch64 SMMUv3 stream table past RAM, event queue indexes"
	base=$(sed -n 's/.*SMMUv3[.0-9]* at \(0x[0-9a-f]*\):.*/\1/p' "$VM_LOG")
	want=$(sed -n 's/.*smmu-strtab-past-ram: STRTAB_BASE 0x[0-9a-f]* -> 0x\([0-9a-f]*\):.*/\1/p' "$VM_LOG")
	got=$(printf '%08x%08x' "$(xp w $((base + 0x84)))" "$(xp w $((base + 0x80)))")
	check_eq "smmu-strtab-past-ram: QEMU's STRTAB_BASE is past RAM as the kernel says" "$want" "$got"
	check_eq "smmu-evtq-index: QEMU's EVENTQ_PROD and EVENTQ_CONS hold indexes past the queue" \
		"0x000fffff 0x00000185" "$(xp w $((base + 0x100a8))) $(xp w $((base + 0x100ac)))"
	"$IOMMUDUMP" -t "$VM_TARGET" "${K[@]}" check >"$TMP/smmu-check.txt"
	check_eq "SMMUv3 damage: iommudump check exits 1" 1 "$?"
	check_grep "smmu-strtab-past-ram: check says the STEs past RAM cannot be fetched (F_STE_FETCH)" \
		'table-unreadable .*STE at 0x7f00000000 cannot be read \(not RAM.*F_STE_FETCH' "$TMP/smmu-check.txt"
	check_grep "smmu-evtq-index: check says the event queue's indexes are inconsistent" \
		'queue-invalid .*PROD 0xfffff and CONS 0x185 are inconsistent' "$TMP/smmu-check.txt"
	check_eq "smmu-evtq-index: no event is reported pending from inconsistent indexes" 0 \
		"$(grep -c 'event-pending' "$TMP/smmu-check.txt")"
	check_grep "smmu-strtab-past-ram: walk of the edu stream ends in F_STE_FETCH" 'raises F_STE_FETCH' \
		<("$IOMMUDUMP" -t "$VM_TARGET" "${K[@]}" walk 0x10 0x40112000)
else
	not_ok "AArch64 corrupt boots with the SMMUv3 switches" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64c-smmu
if vm_start a64c-smmu-cd "${A64[@]}" --smmu on --scenario corrupt --bug smmu-cd-self; then
	run_tools "AArch64 SMMUv3 CD table pointing at itself"
	ste=$(sed -n 's/.*smmu-cd-self: stream 0xf0 STE at \(0x[0-9a-f]*\): .* CD table \(0x[0-9a-f]*\) .*/\1 \2/p' "$VM_LOG")
	read -r ste_pa cd_pa <<<"$ste"
	check_eq "smmu-cd-self: the CD table's level-1 descriptor 0 is itself, valid (QEMU xp)" \
		"$(printf '0x%016x' $((cd_pa | 1)))" "$(xp g "${cd_pa:-0}")"
	# QEMU 7.2's SMMU has no two-level CD tables (IDR0.CD2L clear): it takes such an
	# STE as bad before it reads the loop, and so does iommudump
	check_grep "smmu-cd-self: check calls stream 0xf0's STE bad (C_BAD_STE: no two-level CD tables here)" \
		'ste-invalid .*\[sid 0xf0\].*C_BAD_STE' <("$IOMMUDUMP" -t "$VM_TARGET" "${K[@]}" check)
	check_grep "smmu-cd-self: walk of stream 0xf0 ends in C_BAD_STE" 'raises C_BAD_STE' \
		<("$IOMMUDUMP" -t "$VM_TARGET" "${K[@]}" walk 0xf0 0x1000)
else
	not_ok "AArch64 corrupt boots with smmu-cd-self" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64c-smmu-cd

# attack: a user program poking at the kernel; every command still ends in time.
if vm_start a64c-attack "${A64[@]}" --scenario attack; then
	run_tools "AArch64 attack"
	check_status "AArch64 attack: ptdump check finds nothing" 0 "$PTDUMP" -t "$VM_TARGET" "${K[@]}" check
else
	not_ok "AArch64 attack boots to ready" "$(tail -5 "$VM_LOG")"
fi
vm_stop a64c-attack
