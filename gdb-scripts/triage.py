# SPDX-License-Identifier: MIT
"""What every triage script shares: attaching, stopping, the tools, the report.

A triage script (gdb-scripts/triage-<bug>.gdb) attaches to the reference kernel's VM
through gdb, sets breakpoints where its bug shows itself, always also on the two
places every run reaches (the scenario's "ptdbg: ready" and the panic function), runs
the kernel until one of them fires, asks the tools (`pt`, `iommu`: gdb-scripts/ptdbg.py)
what is wrong, and prints a report. The verdict comes from the tools' findings and
the stop reason only, so the same script says "nothing wrong" on a fixed kernel.
"""

import json
import os
import traceback

import gdb

import ptdbg

# Kernel functions every run ends in (kernel/scenarios/registry.c, kernel/debug/panic.c):
# the first of READY_FUNCTIONS the kernel has prints "ptdbg: ready" (a scenario may
# announce readiness from a timer tick, without going through scenario_ready).
READY_FUNCTIONS = ("scenario_announce_ready", "scenario_ready")
PANIC_FUNCTION = "panic_at"
# include/ptdbg/abi.h
REGION_F_PANICKED = 1 << 0
REGION_F_READY = 1 << 1


# The stop reasons of run() in words.
STOP_NAMES = {"ready": "the scenario's ready point", "panic": "the panic function",
              "post-mortem": "the state the kernel was already in when gdb attached",
              "lost": "the VM is gone"}
# Exit status of a triage script, by verdict (gdb -batch then exits with it).
EXIT_STATUS = {"OK": 0, "BUG": 1, "ERROR": 2}


class TriageAbort(Exception):
    """Raised after an ERROR report has been printed."""


last_verdict = None   # the verdict of the last report printed


def main(triage_fn):
    """Run a script's triage function and quit gdb with the verdict's exit status:
    0 nothing wrong, 1 bug found, 2 no triage possible."""
    global last_verdict
    last_verdict = "ERROR"
    try:
        triage_fn()
    except TriageAbort:
        pass
    except Exception as e:   # gdb failed, or the script did: still one report
        traceback.print_exc()
        Triage("(failed)").report("ERROR", "%s: %s" % (type(e).__name__, e))
    gdb.execute("quit %d" % EXIT_STATUS.get(last_verdict, 2))


def ready_function():
    """The kernel's function that announces "ptdbg: ready"."""
    for name in READY_FUNCTIONS:
        try:
            if gdb.lookup_global_symbol(name) or gdb.lookup_symbol(name)[0]:
                return name
        except gdb.error:
            continue
    return READY_FUNCTIONS[-1]


class Stop:
    """Why the kernel is stopped: 'ready', 'panic', a trigger's name, or 'post-mortem'
    (the kernel had already reached ready or panicked when gdb attached)."""

    def __init__(self, reason, where=""):
        """reason as above; where: the stopped frame, or what the region says."""
        self.reason = reason
        self.where = where


class Trigger(gdb.Breakpoint):
    """A breakpoint that ends the run when decide() says so (decide() returns True to
    stop). Subclasses read the stopped kernel through gdb in decide(); a decide()
    that cannot read what it needs stops, so that the tools look instead. After
    max_checks stops it lets everything go."""

    fired = None   # the Trigger that stopped the kernel last

    def __init__(self, spec, name, max_checks=None):
        super().__init__(spec, internal=True)
        self.silent = True
        self.name = name
        self.checks = 0
        self.max_checks = max_checks

    def decide(self):
        """Whether to stop here (subclasses look at the kernel); this one always stops."""
        return True

    def stop(self):
        """gdb's question at every hit: True ends the run (Trigger.fired is set)."""
        if self.max_checks is not None and self.checks >= self.max_checks:
            return False
        try:
            hit = self.decide()
        except Exception:   # cannot tell here: let the tools look
            hit = True
        if hit:
            self.checks += 1
            Trigger.fired = self
        return hit


class Triage:
    """One triage run: attach, run to a stop, collect the tools' findings, report."""

    def __init__(self, title):
        self.title = title
        self.lines = []
        self.stop = None
        self.stop_backtrace = []
        self.torn_noted = False
        self.ends = []

    # ---- attaching and running ----

    def attach(self):
        """Connect to $PTDBG_TARGET (HOST:PORT, default localhost:1234) unless gdb
        already has a live target."""
        try:
            gdb.selected_inferior().threads()[0]
            if gdb.selected_inferior().pid:
                return
        except (IndexError, gdb.error):
            pass
        target = os.environ.get("PTDBG_TARGET", "localhost:1234")
        gdb.execute("target remote " + target, to_string=True)

    def region_flags(self):
        """The debug region's flags through the kernel's own mapping; 0 before paging
        is on or when there is no region."""
        try:
            return int(gdb.parse_and_eval("ptdbg_region.flags"))
        except gdb.error:
            return 0

    def run(self, triggers=()):
        """Run the kernel until a trigger, the ready point or the panic function fires,
        and return the Stop. A kernel that got there before gdb attached is not
        resumed (post-mortem). Call again to go on to the next stop (triggers stay
        set until the ready point or the panic function fires)."""
        gdb.execute("set pagination off")
        gdb.execute("set confirm off")
        gdb.execute("set print pretty off")
        if not self.ends:
            flags = self.region_flags()
            if flags & (REGION_F_READY | REGION_F_PANICKED):
                self.stop = Stop("post-mortem", "panicked" if flags & REGION_F_PANICKED else "ready")
                self.stop_backtrace = self.backtrace()
                return self.stop
            self.ends = [Trigger(ready_function(), "ready"), Trigger(PANIC_FUNCTION, "panic")]
        Trigger.fired = None
        try:
            gdb.execute("continue", to_string=True)
        except gdb.error as e:   # QEMU exited (isa-debug-exit, a crash) or the link died
            self.fail("the kernel never reached a stop: %s" % e)
        fired = Trigger.fired
        if not fired or fired in self.ends:
            for bp in self.ends + list(triggers):
                bp.enabled = False
        self.stop = Stop(fired.name if fired else "signal", self.location())
        self.stop_backtrace = self.backtrace()
        if fired and fired.name == "panic":
            self.finish_panic()
        return self.stop

    def fail(self, why):
        """Print a report that says the triage could not be done, and end the script."""
        self.stop = Stop("lost")
        self.report("ERROR", why)
        raise TriageAbort(why)

    def finish_panic(self):
        """From the panic function's entry, run until its record is written (the
        kernel then halts in cpu_halt_forever)."""
        bp = gdb.Breakpoint("cpu_halt_forever", internal=True, temporary=True)
        bp.silent = True
        gdb.execute("continue", to_string=True)

    def stopped_at(self):
        """Where the run stopped, in words: "the panic function (panic_at (pc 0x..))"."""
        if not self.stop:
            return "nowhere"
        name = STOP_NAMES.get(self.stop.reason, self.stop.reason)
        return "%s (%s)" % (name, self.stop.where) if self.stop.where else name

    def location(self):
        """The selected frame as "function (pc 0x...)", or "?"."""
        try:
            frame = gdb.selected_frame()
            return "%s (pc %#x)" % (frame.name() or "?", frame.pc())
        except gdb.error:
            return "?"

    # ---- the tools and the kernel ----

    def tool(self, tool, words):
        """(status, stdout) of `pt WORDS` / `iommu WORDS`; stderr goes to the report's
        notes when the command failed."""
        status, out, err = ptdbg.run(tool, words)
        if status == 2:
            self.note("%s %s failed: %s" % (tool, " ".join(words), err.strip()))
        elif "torn read" in err and not self.torn_noted:
            self.torn_noted = True
            self.note("the kernel was inside an update of its debug region when it stopped"
                      " (generation odd); the tools read it as it was")
        return status, out

    def findings(self, tool, kinds=None):
        """The findings of `pt check -j` / `iommu check -j` (optionally --kind), as dicts."""
        words = ["check", "-j"] + (["--kind", ",".join(kinds)] if kinds else [])
        status, out = self.tool(tool, words)
        try:
            return json.loads(out) if out.strip() else []
        except ValueError:
            self.note("%s check -j: not JSON: %s" % (tool, out[:200]))
            return []

    def region(self):
        """`pt region -j` as a dict ({} without a region)."""
        status, out = self.tool("pt", ["region", "-j"])
        try:
            return json.loads(out)
        except ValueError:
            return {}

    def backtrace(self, limit=8):
        """The kernel's call stack at the stop, one line per frame."""
        try:
            lines = gdb.execute("bt %d" % limit, to_string=True).rstrip().splitlines()
        except gdb.error as e:
            return ["(no backtrace: %s)" % e]
        for i, line in enumerate(lines):   # below the entry code: stack words, not frames
            if " in ?? ()" in line:
                return lines[:i]
        return lines

    # ---- the report ----

    def note(self, text):
        """A one-line remark printed at the top of the report."""
        self.lines.append(("note", text))

    def section(self, heading, body):
        """A report section: heading, then body (a string or lines), indented."""
        if isinstance(body, str):
            body = body.rstrip("\n").splitlines()
        self.lines.append(("section", heading, list(body)))

    def report(self, verdict, cause=None):
        """Print the report. verdict: 'BUG', 'OK' or 'ERROR'; cause: the one-line name
        of the cause (BUG), what was checked (OK), or what went wrong (ERROR)."""
        w = gdb.write
        w("=" * 72 + "\n")
        w("ptdbg triage: %s\n" % self.title)
        if self.stop:
            w("stopped: %s\n" % self.stopped_at())
        w("=" * 72 + "\n")
        for item in self.lines:
            if item[0] == "note":
                w("note: %s\n" % item[1])
                continue
            w("\n%s:\n" % item[1])
            for line in item[2]:
                w("  %s\n" % line)
        w("\n")
        if verdict == "BUG":
            w("VERDICT: BUG FOUND: %s\n" % cause)
        elif verdict == "ERROR":
            w("VERDICT: NO TRIAGE: %s\n" % cause)
        else:
            w("VERDICT: NOTHING WRONG: %s\n" % (cause or "the tools found nothing wrong"))
        global last_verdict
        last_verdict = verdict
        gdb.set_convenience_variable("triage_verdict", verdict)


def format_findings(found):
    """Findings as report lines: '[kind] message (space, marker, frame, node)'."""
    lines = []
    for f in found:
        where = ", ".join("%s %s" % (k, f[k]) for k in ("space", "marker", "node", "frame") if f.get(k))
        lines.append("[%s] %s%s" % (f.get("kind"), f.get("message", ""), " (" + where + ")" if where else ""))
    return lines or ["(none)"]


def kinds(found):
    """The distinct finding kinds, sorted."""
    return sorted({f.get("kind") for f in found})
