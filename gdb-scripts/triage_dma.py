# SPDX-License-Identifier: MIT
"""Triage of out-of-range DMA (shared/BUGS.md 1; Asterinas issue #1882, fix PR #1944).

Stop: the panic function (a failed DMA map unwraps into a panic), or the ready point.
Explain: from the VT-d state alone -- each device's software IOVA window against its
context entry's address width and the RAM above it, the registered DMA buffers
against the window, FPD, pending fault records (`iommu check`, `iommu bufs`,
`iommu ctx`) -- and the panic record of the debug region.
"""

import re

import triage

# iommudump check kinds that explain an out-of-range DMA map.
WINDOW_KINDS = ("window-narrower-than-aw", "window-wider-than-aw", "dma-out-of-range")
# kinds that hide or record DMA faults.
FAULT_KINDS = ("fpd-set", "fault-pending", "dma-unmapped")


def _bdf_of(finding):
    """The device (bb:dd.f) a finding names in its space ("00:01.0 edu"), or None."""
    m = re.match(r"([0-9a-f]{2}:[0-9a-f]{2}\.[0-7])\b", finding.get("space") or "")
    return m.group(1) if m else None


def _aw_bits(found):
    """The context address width named by a window finding, or None."""
    for f in found:
        m = re.search(r"(\d+)-bit address width", f.get("message", ""))
        if m:
            return int(m.group(1))
    return None


def main():
    """Attach, run to the panic or the ready point, print the report."""
    t = triage.Triage("out-of-range DMA (device IOVA window vs. VT-d address width)")
    t.attach()
    stop = t.run()

    region = t.region()
    panic = region.get("panic")
    happened = ["the run ended at %s" % (t.stopped_at())]
    if panic:
        happened.append("panic: %s at %s:%s" % (panic.get("message"), panic.get("file"), panic.get("line")))
    elif stop.reason == "ready":
        happened.append("the scenario reached \"ptdbg: ready\" without a panic")
    t.section("what happened", happened)
    if stop.reason == "panic":
        t.section("frames (at the panic function)", t.stop_backtrace)

    found = t.findings("iommu")
    window = [f for f in found if f.get("kind") in WINDOW_KINDS]
    faults = [f for f in found if f.get("kind") in FAULT_KINDS]
    _, bufs = t.tool("iommu", ["bufs"])
    t.section("VT-d state: device domains and DMA buffers (iommu bufs)", bufs)
    # the entries: the buffer's IOVA walked through its device's context and table, or
    # the context entry of each device whose window is wrong
    walked = set()
    for f in found:
        if f.get("kind") == "dma-out-of-range" and _bdf_of(f) and f.get("addr") and _bdf_of(f) not in walked:
            walked.add(_bdf_of(f))
            _, walk = t.tool("iommu", ["walk", _bdf_of(f), f["addr"]])
            t.section("the buffer's IOVA through the device's context and table (iommu walk %s %s)"
                      % (_bdf_of(f), f["addr"]), walk)
    for bdf in sorted({_bdf_of(f) for f in window} - {None} - walked):
        _, ctx = t.tool("iommu", ["ctx", bdf])
        t.section("context entry of %s (iommu ctx %s)" % (bdf, bdf), ctx)
    t.section("findings (iommu check)", triage.format_findings(found))

    if window:
        aw = _aw_bits(window)
        explain = [f.get("message") for f in window]
        if panic:
            explain.insert(0, "the panic \"%s\" is the DMA map call refusing a buffer outside the"
                              " device's software IOVA window:" % panic.get("message"))
        t.section("finding", explain)
        fix = ["make the software IOVA window of the device's paging mode cover what its context"
               " entry translates"]
        if aw:
            fix.append("here: [0, %#x) (2^%d, the whole %d-bit address width of a %d-level table)"
                       % (1 << aw, aw, aw, (aw - 12) // 9))
        fix.append("as Asterinas PR #1944 did (VADDR_RANGE 0..0x1_0000_0000 -> 0..0x80_0000_0000)")
        if any(f.get("kind") == "fpd-set" for f in found):
            fix.append("and write context entries with FPD=0, so that VT-d faults are reported")
        t.section("fix", fix)
        t.report("BUG", "out-of-range DMA: %s" % ", ".join(triage.kinds(window)))
    elif faults:
        t.section("finding", [f.get("message") for f in faults])
        t.report("BUG", "VT-d faults hidden or pending: %s" % ", ".join(triage.kinds(faults)))
    elif panic:
        t.section("finding", ["the VT-d state does not explain this panic"])
        t.report("BUG", "kernel panic not explained by the VT-d state: %s" % panic.get("message"))
    else:
        t.report("OK", "every DMA buffer lies inside its device's window and the windows match"
                       " the contexts' address widths")
