# Triage of a page-fault loop on a write-only mapping (shared/BUGS.md 2), unattended:
#   PTDBG_TARGET=127.0.0.1:PORT gdb -batch -x gdb-scripts/triage-wronly-loop.gdb build/kernel.elf
# Attaches, runs the kernel until the page-fault handler sees the same fault again and
# again (or to its ready point or panic function), and explains the loop from the
# fault log, the page-table entry and the faulting instruction
# (gdb-scripts/triage_wronly.py). Run from the top of the tree or set $PTDBG_TOP.
# Exit status: 0 nothing wrong, 1 bug found, 2 no triage possible.
python
import os, sys
_dir = os.path.join(os.environ.get("PTDBG_TOP", "."), "gdb-scripts")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, _dir)
import ptdbg  # the pt and iommu commands
import triage, triage_wronly
triage.main(triage_wronly.main)  # quits gdb: 0 nothing wrong, 1 bug found, 2 no triage
end
