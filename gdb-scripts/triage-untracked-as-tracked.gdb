# Triage of untracked page-table nodes freed as tracked (shared/BUGS.md 3), unattended:
#   PTDBG_TARGET=127.0.0.1:PORT gdb -batch -x gdb-scripts/triage-untracked-as-tracked.gdb build/kernel.elf
# Attaches, stops the kernel on its page-table node-free path for every node it
# recorded as tracked, and asks the tools whether that node's status is right for its
# range; ends at the first wrong one, the ready point or the panic function
# (gdb-scripts/triage_untracked.py). Run from the top of the tree or set $PTDBG_TOP.
# Exit status: 0 nothing wrong, 1 bug found, 2 no triage possible.
python
import os, sys
_dir = os.path.join(os.environ.get("PTDBG_TOP", "."), "gdb-scripts")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, _dir)
import ptdbg  # the pt and iommu commands
import triage, triage_untracked
triage.main(triage_untracked.main)  # quits gdb: 0 nothing wrong, 1 bug found, 2 no triage
end
