# Triage of out-of-range DMA (shared/BUGS.md 1), unattended:
#   PTDBG_TARGET=127.0.0.1:PORT gdb -batch -x gdb-scripts/triage-dma-window-4g.gdb build/kernel.elf
# Attaches, runs the kernel to its panic function or its ready point, and explains a
# panic from the VT-d state (gdb-scripts/triage_dma.py). Run from the top of the tree
# or set $PTDBG_TOP.
# Exit status: 0 nothing wrong, 1 bug found, 2 no triage possible.
python
import os, sys
_dir = os.path.join(os.environ.get("PTDBG_TOP", "."), "gdb-scripts")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, _dir)
import ptdbg  # the pt and iommu commands
import triage, triage_dma
triage.main(triage_dma.main)  # quits gdb: 0 nothing wrong, 1 bug found, 2 no triage
end
