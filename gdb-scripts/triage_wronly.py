# SPDX-License-Identifier: MIT
"""Triage of a page-fault loop on a write-only mapping (shared/BUGS.md 2; Asterinas
issue #1458, fix PR #1461).

Stop: the page-fault handler, once the same fault (CR2, RIP, error code, CR3) has come
REPEATS times in a row -- the handler returned and the instruction faulted again --
or the ready point. Explain: the fault log (`pt faults --loops`), the entry the walk
for CR2 ends on (`pt walk CR2 --write --user`), the faulting instruction (`pt x RIP`),
and `pt check`'s fault-loop and sw-present-hw-absent findings.
"""

import gdb

import triage

FAULT_HANDLER = "fault_handle"
REPEATS = 16            # twice the tools' PTDBG_FAULT_LOOP_MIN, so the log holds a loop
LOOP_KINDS = ("fault-loop", "sw-present-hw-absent")


class RepeatedFault(triage.Trigger):
    """Stops in the fault handler when its fault is the same as the last REPEATS-1."""

    def __init__(self):
        super().__init__(FAULT_HANDLER, "repeated page fault")
        self.last = None
        self.count = 0
        self.fault = None

    def decide(self):
        frame = gdb.selected_frame()
        tf = gdb.parse_and_eval("tf").dereference()
        fault = (int(frame.read_register("cr2")), int(tf["rip"]), int(tf["error"]),
                 int(frame.read_register("cr3")))
        self.count = self.count + 1 if fault == self.last else 1
        self.last = fault
        if self.count >= REPEATS:
            self.fault = fault
            return True
        return False


def _error_text(code):
    """The page-fault error code in words (Intel SDM 4.7)."""
    return "%s %s %s%s" % ("user" if code & 4 else "supervisor",
                           "write" if code & 2 else ("instruction fetch" if code & 16 else "read"),
                           "(protection violation)" if code & 1 else "(page not present)",
                           ", reserved bit set" if code & 8 else "")


def main():
    """Attach, run to a repeated fault or the ready point, print the report."""
    t = triage.Triage("page-fault loop (write-only mapping)")
    t.attach()
    trigger = RepeatedFault()
    stop = t.run([trigger])

    if stop.reason == trigger.name:
        cr2, rip, error, cr3 = trigger.fault
        t.section("what happened", [
            "%d identical page faults in a row, the handler returning each time:" % trigger.count,
            "CR2 %#x  RIP %#x  error code %#x (%s)  CR3 %#x" % (cr2, rip, error, _error_text(error), cr3)])
        t.section("frames (the handler, entered again)", t.stop_backtrace)
        _, insn = t.tool("pt", ["x", "%#x" % rip, "1"])
        t.section("faulting instruction (pt x RIP 1)", insn)
        _, walk = t.tool("pt", ["walk", "%#x" % cr2, "--write", "--user"])
        t.section("the entry for CR2 (pt walk CR2 --write --user)", walk)
    else:
        t.section("what happened", ["the run ended at %s; no fault repeated %d times in a row"
                                    % (t.stopped_at(), REPEATS)])
    _, loops = t.tool("pt", ["faults", "--loops"])
    t.section("fault log (pt faults --loops)", loops)
    found = t.findings("pt", LOOP_KINDS)
    t.section("findings (pt check --kind %s)" % ",".join(LOOP_KINDS), triage.format_findings(found))

    write_only = any(f.get("kind") == "sw-present-hw-absent" or "bit 7" in f.get("message", "")
                     for f in found)
    if found and not write_only:
        t.section("finding", [
            "the handler returns 'handled' for a fault whose entry still makes the CPU fault:",
            "the instruction retries and faults again, forever. The entry is not the",
            "write-only pattern (P=0 with RW / bit 7), so look at why the handler thinks the",
            "access is already allowed (see the fault log's 'why' above)."])
        t.section("fix", ["the handler must map the page (or kill the process); it may return"
                          " 'handled' only when the entry now allows the access"])
        t.report("BUG", "page-fault loop: %s" % ", ".join(triage.kinds(found)))
    elif found:
        t.section("finding", [
            "x86 has no write-only pages: the mapping was made without the Present bit (P=0)",
            "but with RW and the software 'mapped' bit 7 set. The CPU raises a not-present",
            "fault; the handler sees write permission already granted, decides the fault is",
            "handled and returns; the same write faults again, forever."])
        t.section("fix", [
            "on x86, PROT_WRITE implies PROT_READ (as Linux does) in mmap and mprotect, so",
            "a writable mapping is always present (P=1 RW=1) -- Asterinas PR #1461"])
        t.report("BUG", "write-only mapping fault loop: %s" % ", ".join(triage.kinds(found)))
    elif stop.reason == trigger.name:
        t.section("finding", ["the fault repeats but the tools find no loop in the log or the entry:"
                              " look at the handler's decision for this fault"])
        t.report("BUG", "repeated page fault the tools cannot explain")
    else:
        t.report("OK", "no fault loop and no entry that is software-present but hardware-absent")
