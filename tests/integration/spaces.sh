#!/usr/bin/env bash
# Every address space: `spaces` from the debug region and from RAM alone, and
# --all-spaces for dump, check, save and diff. Oracles: the roots the kernel lists
# in its region (a fact it set up) and prints at boot, QEMU's own CR3 (`info
# registers`) and its `info tlb` for the current space.
. "$(dirname "$0")/../lib.sh"

# roots JSON: the sorted roots of a `spaces -j` (or `region -j`) document.
roots() { jq -r '.spaces[] | select(.kind == "kernel" or .kind == "user") | .root' | sort; }

vm_start sp-region --scenario default
A=$VM_TARGET
LOG_A=$VM_LOG
vm_start sp-off --scenario default --append 'ptdbg=off'
B=$VM_TARGET

want=$("$PTDUMP" -t "$A" region -j | jq -r '.spaces[] | select(.live and (.kind == "kernel" or .kind == "user")) | .root' | sort)
check_eq "the region lists the kernel's and both processes' spaces" 3 "$(grep -c . <<<"$want")"
kroot=$(sed -n 's/.* cr3 \(0x[0-9a-f]*\)$/\1/p' "$LOG_A" | head -1)
check_grep "the kernel's root, as it printed it at boot, is among them" \
	"^0x0*$(printf '%x' $((kroot)))\$" <(echo "$want")

# From the region.
out=$("$PTDUMP" -t "$A" spaces -j)
check_eq "spaces with the region: the region's roots" "$want" "$(roots <<<"$out")"
check_eq "spaces with the region: found there" "region" "$(jq -r '.found' <<<"$out")"
check_eq "spaces with the region: names are the region's" "alpha beta kernel" \
	"$(jq -r '[.spaces[].space] | sort | join(" ")' <<<"$out")"

# From RAM alone, on the same VM.
for how in "--scan" "--region off"; do
	# shellcheck disable=SC2086
	out=$("$PTDUMP" -t "$A" spaces $how -j)
	check_eq "spaces $how: the same roots from RAM" "$want" "$(roots <<<"$out")"
	check_eq "spaces $how: RAM layout from QEMU's memory map" "info mtree" "$(jq -r '.ram.source' <<<"$out")"
done
check_eq "spaces --scan: the kernel space is the kernel's root" "$(printf '0x%016x' $((kroot)))" \
	"$("$PTDUMP" -t "$A" spaces --scan -j | jq -r '.spaces[] | select(.kind == "kernel") | .root')"

# A kernel booted with ptdbg=off: no region, the same roots.
out=$("$PTDUMP" -t "$B" spaces -j)
check_eq "ptdbg=off: spaces finds the region kernel's roots from RAM" "$want" "$(roots <<<"$out")"
check_eq "ptdbg=off: found by a scan" "scan" "$(jq -r '.found' <<<"$out")"
qcr3=$("$PTDUMP" -t "$B" monitor "info registers" | sed -n 's/.*CR3=\([0-9a-f]*\).*/\1/p' | head -1)
check_eq "ptdbg=off: the current space is the one in QEMU's CR3" "$(printf '0x%016x' $((0x$qcr3 & ~0xfff)))" \
	"$(jq -r '.spaces[] | select(.current) | .root' <<<"$out")"
tlb=$("$PTDUMP" -t "$B" monitor "info tlb" | grep -c '^[0-9a-f]*: ')
check_eq "ptdbg=off: the current space's leaves are QEMU's info tlb lines" "$tlb" \
	"$(jq -r '.spaces[] | select(.current) | .leaves' <<<"$out")"
check_eq "ptdbg=off: one kernel space, the others user" "kernel user user" \
	"$(jq -r '[.spaces[].kind] | sort | join(" ")' <<<"$out")"
text=$("$PTDUMP" -t "$B" spaces)
check_grep "ptdbg=off: the text names the RAM scanned" "^3 address spaces found in .* of RAM" <(echo "$text")
check_grep "ptdbg=off: the text has the column header" "^SPACE +KIND +ROOT +LEVELS +HOW +LEAVES +MAPPED +CURRENT" <(echo "$text")

# Over the gdbstub alone (no fast path), and from a core file: the same roots.
check_eq "ptdbg=off --no-fast-path: the same roots over the gdbstub" "$want" \
	"$("$PTDUMP" -t "$B" --no-fast-path spaces -j | roots)"
"$PTDUMP" -t "$B" monitor "dump-guest-memory $TMP/b.core" >/dev/null
out=$("$PTDUMP" --core "$TMP/b.core" spaces -j)
check_eq "core file: the same roots" "$want" "$(roots <<<"$out")"
check_eq "core file: RAM layout from its segments" "core file" "$(jq -r '.ram.source' <<<"$out")"
rm -f "$TMP/b.core"

# --all-spaces: every space, labelled, the shared kernel half once.
dj=$("$PTDUMP" -t "$B" dump --all-spaces -j)
check_eq "dump --all-spaces: one object per space" 3 "$(jq 'length' <<<"$dj")"
check_eq "dump --all-spaces: the kernel half only in the kernel's space" 0 \
	"$(jq '[.[] | select(.space | startswith("root=")) | .entries[] | select(.type == "range") |
		select(.start >= "0xffff800000000000")] | length' <<<"$dj")"
kern=$(jq '[.[] | select(.space | startswith("kernel=")) | .entries[] | select(.type == "range")] | length' <<<"$dj")
alone=$("$PTDUMP" -t "$B" dump --kernel -j | jq '[.entries[] | select(.type == "range")] | length')
check_eq "dump --all-spaces: the kernel half as dump --kernel shows it" "$alone" "$kern"
check_eq "dump --all-spaces: user ranges of every process" 2 \
	"$(jq '[.[] | select(.space | startswith("root=")) | select([.entries[] | select(.type == "range")] | length > 0)] | length' <<<"$dj")"
check_eq "dump --all-spaces with the region: the region's names" "alpha beta kernel" \
	"$("$PTDUMP" -t "$A" dump --all-spaces -j | jq -r '[.[].space] | sort | join(" ")')"
check_status "check --all-spaces: the default scenario is clean" 0 "$PTDUMP" -t "$B" check --all-spaces
check_eq "save --all-spaces: every space" 3 \
	"$("$PTDUMP" -t "$B" save --all-spaces "$TMP/all.snap" -j | jq '.spaces')"
check_status "diff of --all-spaces against the live VM: no change" 0 "$PTDUMP" -t "$B" diff "$TMP/all.snap"
check_status "--all-spaces and --cr3 exclude each other" 2 "$PTDUMP" -t "$B" dump --all-spaces --cr3 0x1000

vm_stop sp-region
vm_stop sp-off
