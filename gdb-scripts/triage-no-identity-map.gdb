# Triage of an AArch64 high-half boot that faults the instant the MMU turns on
# (shared/BUGS.md 4), unattended:
#   PTDBG_TARGET=127.0.0.1:PORT gdb-multiarch -batch -x gdb-scripts/triage-no-identity-map.gdb build/kernel-aarch64.elf
# Attaches, runs the kernel to its ready point or panic function, and explains a
# fetch that cannot be made from the translation registers and tables alone
# (gdb-scripts/triage_hihalf.py). Run from the top of the tree or set $PTDBG_TOP.
# Exit status: 0 nothing wrong, 1 bug found, 2 no triage possible.
python
import os, sys
_dir = os.path.join(os.environ.get("PTDBG_TOP", "."), "gdb-scripts")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, _dir)
import ptdbg  # the pt and iommu commands
import triage, triage_hihalf
triage.main(triage_hihalf.main)  # quits gdb: 0 nothing wrong, 1 bug found, 2 no triage
end
