# SPDX-License-Identifier: MIT
"""Triage of out-of-range DMA (shared/BUGS.md 1; Asterinas issue #1882, fix PR #1944).

Stop: the panic function (a failed DMA map unwraps into a panic), or the ready point.
Explain: from the IOMMU state alone (Intel VT-d on x86-64, Arm SMMUv3 on AArch64) --
each device's software IOVA window against its context entry's address width (VT-d)
or its context descriptor's input size (SMMUv3) and the RAM above it, the registered
DMA buffers against the window, hidden and pending faults (`iommu check`, `iommu bufs`,
`iommu ctx`) -- and the panic record of the debug region.
"""

import json
import re

import triage

# iommudump check kinds that explain an out-of-range DMA map.
WINDOW_KINDS = ("window-narrower-than-aw", "window-wider-than-aw", "window-narrower-than-ias",
                "dma-out-of-range")
# kinds that hide or record DMA faults.
FAULT_KINDS = ("fpd-set", "fault-pending", "faults-not-recorded", "event-pending", "dma-unmapped")


def _bdf_of(finding):
    """The device a finding names in its space: bb:dd.f ("00:01.0 edu") on VT-d, the
    stream id ("sid 0x10 edu 00:02.0") on SMMUv3; or None."""
    space = finding.get("space") or ""
    m = re.match(r"sid (0x[0-9a-f]+)\b", space) or re.match(r"([0-9a-f]{2}:[0-9a-f]{2}\.[0-7])\b", space)
    return m.group(1) if m else None


def _aw_bits(found):
    """The address width (VT-d context) or input size (SMMUv3 CD) a window finding
    names, or None."""
    for f in found:
        m = re.search(r"(\d+)-bit (address width|input)", f.get("message", ""))
        if m:
            return int(m.group(1))
    return None


def _is_smmu(t):
    """Whether the guest's IOMMU is an SMMUv3 (iommu bufs -j says which)."""
    rc, out = t.tool("iommu", ["bufs", "-j"])
    try:
        return json.loads(out).get("iommu") == "smmuv3"
    except ValueError:
        return False


def main():
    """Attach, run to the panic or the ready point, print the report."""
    t = triage.Triage("out-of-range DMA (device IOVA window vs. the IOMMU's address width or input size)")
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
    smmu = _is_smmu(t)
    unit = "SMMUv3" if smmu else "VT-d"
    _, bufs = t.tool("iommu", ["bufs"])
    t.section("%s state: device domains and DMA buffers (iommu bufs)" % unit, bufs)
    # the entries: the buffer's IOVA walked through its device's context and table, or
    # the context entry of each device whose window is wrong
    walked = set()
    for f in found:
        if f.get("kind") == "dma-out-of-range" and _bdf_of(f) and f.get("addr") and _bdf_of(f) not in walked:
            walked.add(_bdf_of(f))
            _, walk = t.tool("iommu", ["walk", _bdf_of(f), f["addr"]])
            t.section("the buffer's IOVA through the %s (iommu walk %s %s)"
                      % ("stream's STE, CD and stage-1 table" if smmu else "device's context and table",
                         _bdf_of(f), f["addr"]), walk)
    for bdf in sorted({_bdf_of(f) for f in window} - {None} - walked):
        _, ctx = t.tool("iommu", ["ctx", bdf])
        t.section("%s of %s (iommu ctx %s)" % ("stream table entry and CD" if smmu else "context entry", bdf, bdf),
                  ctx)
    t.section("findings (iommu check)", triage.format_findings(found))

    if window:
        aw = _aw_bits(window)
        explain = [f.get("message") for f in window]
        if panic:
            explain.insert(0, "the panic \"%s\" is the DMA map call refusing a buffer outside the"
                              " device's software IOVA window:" % panic.get("message"))
        t.section("finding", explain)
        if smmu:
            fix = ["make the software IOVA window of the stream's domain cover what its context"
                   " descriptor translates"]
            if aw:
                fix.append("here: [0, %#x) (2^%d, the CD's whole %d-bit input, T0SZ %d)"
                           % (1 << aw, aw, aw, 64 - aw))
        else:
            fix = ["make the software IOVA window of the device's paging mode cover what its context"
                   " entry translates"]
            if aw:
                fix.append("here: [0, %#x) (2^%d, the whole %d-bit address width of a %d-level table)"
                           % (1 << aw, aw, aw, (aw - 12) // 9))
        fix.append("as Asterinas PR #1944 did (VADDR_RANGE 0..0x1_0000_0000 -> 0..0x80_0000_0000)")
        if any(f.get("kind") == "fpd-set" for f in found):
            fix.append("and write context entries with FPD=0, so that VT-d faults are reported")
        if any(f.get("kind") == "faults-not-recorded" for f in found):
            fix.append("and write context descriptors with R=1, so that the SMMU records its events")
        t.section("fix", fix)
        t.report("BUG", "out-of-range DMA: %s" % ", ".join(triage.kinds(window)))
    elif faults:
        t.section("finding", [f.get("message") for f in faults])
        t.report("BUG", "%s faults hidden or pending: %s" % (unit, ", ".join(triage.kinds(faults))))
    elif panic:
        t.section("finding", ["the %s state does not explain this panic" % unit])
        t.report("BUG", "kernel panic not explained by the %s state: %s" % (unit, panic.get("message")))
    else:
        t.report("OK", "every DMA buffer lies inside its device's window and the windows match"
                       " the %s" % ("CDs' input sizes" if smmu else "contexts' address widths"))
