# SPDX-License-Identifier: MIT
"""Triage of an AArch64 high-half boot whose fetch after SCTLR_EL1.M faults
(shared/BUGS.md 4: the seed's first attempt left out the identity mapping).

Stop: the ready point, or the panic function (the high-half vectors report the
instruction abort and panic). Explain: `pt check --kind pc-unmapped` (the PC, the
ELR_EL1 of the last exception and VBAR_EL1, each fetched through the tables in
force), `pt regs` (the translation registers and the exception in words) and
`pt walk ELR --exec` (where the fetch stops). The verdict is the finding's alone.
"""

import triage

KINDS = ("pc-unmapped",)


def _elr(found):
    """The ELR_EL1 a pc-unmapped finding names, or None."""
    for f in found:
        msg = f.get("message", "")
        if msg.startswith("ELR_EL1 "):
            try:
                return int(msg.split()[1], 16)
            except (IndexError, ValueError):
                return None
    return None


def main():
    """Attach, run to the ready point or the panic function, print the report."""
    t = triage.Triage("AArch64 high-half boot: the fetch after the MMU turns on")
    t.attach()
    stop = t.run()
    t.section("what happened", ["the run ended at %s" % t.stopped_at()])
    if stop.reason in ("panic", "post-mortem"):
        t.section("frames", t.stop_backtrace)
    found = t.findings("pt", KINDS)
    t.section("findings (pt check --kind pc-unmapped)", triage.format_findings(found))
    elr = _elr(found)
    if elr is not None:
        _, walk = t.tool("pt", ["walk", "%#x" % elr, "--exec"])
        t.section("the fetch at ELR_EL1 (pt walk ELR --exec)", walk)
    _, regs = t.tool("pt", ["regs"])
    t.section("translation registers (pt regs)", [l for l in regs.splitlines()
                                                  if l.split()[:1] and l.split()[0] in
                                                  ("PC", "SCTLR_EL1", "TTBR0_EL1", "TTBR1_EL1",
                                                   "VBAR_EL1", "ESR_EL1", "FAR_EL1", "ELR_EL1",
                                                   "last")])
    identity = [f for f in found if "no identity mapping" in f.get("message", "")]
    if identity:
        t.section("finding", [
            "the code that set SCTLR_EL1.M runs from its physical address (the machine",
            "enters the image at its load address); the instant the MMU is on, the next",
            "instruction is fetched through TTBR0 at that same address, and TTBR0 maps",
            "nothing there: the fetch after the MMU turned on faulted (an instruction",
            "abort, translation fault), reported by the high-half vectors."])
        t.section("fix", [
            "keep the low RAM identity-mapped in TTBR0 until the code has branched into",
            "the high half (boot.S's early TTBR0 blocks), and remove it only then"])
        t.report("BUG", "the fetch after SCTLR_EL1.M=1 runs from a physical address TTBR0 "
                 "does not map (no identity mapping): pc-unmapped")
    elif found:
        t.section("finding", ["an address the CPU must fetch from is not mapped executable:"
                              " see the findings above"])
        t.report("BUG", "pc-unmapped")
    else:
        t.report("OK", "the PC, ELR_EL1 and VBAR_EL1 are mapped executable by the tables in force")
