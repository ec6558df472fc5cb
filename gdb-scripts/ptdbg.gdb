# gdb -x gdb-scripts/ptdbg.gdb: define the `pt` and `iommu` commands (gdb-scripts/ptdbg.py).
# Run from the top of the tree, or set $PTDBG_TOP to it.
python
import os
_top = os.environ.get("PTDBG_TOP", ".")
gdb.execute("source " + os.path.join(_top, "gdb-scripts", "ptdbg.py"))
end
