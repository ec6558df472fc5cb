# SPDX-License-Identifier: MIT
"""Triage of untracked page-table nodes freed as tracked (shared/BUGS.md 3; Asterinas
PR #1372, PR #1374).

Stop: the page-table node-free path (free_subtree, node_free) for a node whose
recorded tracking status is "tracked" -- the only nodes whose freeing drops
references -- then ask `pt check` whether that node's status differs from the one
its range requires. A node that checks out is let go; the run ends at the first
mis-tracked node being freed, at the ready point, or at the panic function. Explain:
the finding (node, range marker, statuses), the entries that reach the node
(`pt walk`), the call stack, and what freeing it does to the frames it maps.
"""

import json

import gdb

import triage

# Where nodes are freed, and the names their physical address may have there (an
# inlined copy of node_free may only know its caller's).
NODE_FREE = (("free_subtree", ("node_pa",)), ("node_free", ("pa", "node_pa")))
MAX_CHECKS = 32         # nodes looked at with the tools before letting the rest go
REGION_KINDS = ("node-tracking-mismatch", "tracking-parent-mismatch", "freed-frame-mapped",
                "refcount-below-mappings", "untracked-leaf-owned")


class TrackedNodeFree(triage.Trigger):
    """Stops where a page-table node is freed, if the kernel recorded it as tracked
    (or if its status cannot be read here). Lets a node go whose address it cannot
    read: the tools could not tell whether it is the wrong one."""

    def __init__(self, function, args):
        super().__init__(function, "page-table node free", max_checks=MAX_CHECKS)
        self.args = args
        self.node = None

    def decide(self):
        self.node = None
        for name in self.args:
            try:
                self.node = int(gdb.parse_and_eval(name)) & ~0xFFF
                break
            except gdb.error:
                continue
        if self.node is None:
            return False
        try:
            meta = gdb.parse_and_eval("meta")[self.node >> 12]   # the kernel's frame metadata
            return int(meta["tracking"]) == int(gdb.parse_and_eval("PTDBG_TRACK_TRACKED"))
        except gdb.error:
            return True


NODE_KINDS = ("node-tracking-mismatch", "tracking-parent-mismatch")


def _node_within(t, node, finding):
    """Whether a walk of the finding's space over the finding's range reaches the
    page-table node at physical address node (`pt dump --nodes -j --range`)."""
    lo = int(finding.get("addr", "0"), 16)
    hi = lo + int(finding.get("size", 0))
    words = ["dump", "--nodes", "-j", "--range", "%#x-%#x" % (lo, hi)]
    if finding.get("space"):
        words += ["--as", finding["space"]]
    _, out = t.tool("pt", words)
    try:
        spaces = json.loads(out)
    except ValueError:
        return False
    for space in spaces if isinstance(spaces, list) else [spaces]:
        for e in space.get("entries", []):
            if e.get("type") == "table" and int(e.get("pa", "0"), 16) == node:
                return True
    return False


def _node_findings(t, found, node):
    """The node-tracking findings about node: those that name it, and those about a
    node above it whose wrong status it inherited (the checker names the topmost)."""
    mine = [f for f in found if f.get("kind") in NODE_KINDS and f.get("node") and int(f["node"], 16) == node]
    if mine:
        return mine
    return [f for f in found if f.get("kind") == "node-tracking-mismatch"
            and "records tracking 'tracked'" in f.get("message", "") and _node_within(t, node, f)]


def _split_allowed(found):
    """(findings that show the bug, findings about what untracked mappings may do):
    an untracked leaf mapping a frame the allocator holds as free is allowed
    (shared/BUGS.md 3 asks about tracked leaves, owned frames and freed nodes)."""
    allowed = [f for f in found if f.get("kind") == "freed-frame-mapped"
               and f.get("message", "").startswith("present untracked leaf")]
    return [f for f in found if f not in allowed], allowed


def main():
    """Attach, run through the tracked node frees to a mis-tracked one or the
    ready point, print the report."""
    t = triage.Triage("untracked page-table nodes freed as tracked")
    t.attach()
    triggers = [TrackedNodeFree(fn, arg) for fn, arg in NODE_FREE]
    caught, checked = None, 0
    while True:
        stop = t.run(triggers)
        if stop.reason != "page-table node free":
            break
        checked += 1
        trigger = triage.Trigger.fired
        found = t.findings("pt", REGION_KINDS)
        mine = _node_findings(t, found, trigger.node)
        if mine:
            caught = (trigger, found, mine)
            break

    if caught:
        trigger, found, mine = caught
        node = trigger.node
        t.section("what happened", [
            "the kernel is freeing page-table node %#x, which it recorded as tracked;" % node,
            "the tools say its range requires another status%s (%d node frees looked at)"
            % ("" if any(f.get("node") and int(f["node"], 16) == node for f in mine)
               else ", as for the node above it whose status it inherited", checked)])
        t.section("frames (the node-free path)", t.stop_backtrace)
        for f in mine:
            if f.get("addr"):
                _, walk = t.tool("pt", ["walk", f["addr"]] + (["--as", f["space"]] if f.get("space") else []))
                t.section("entries reaching the node (pt walk %s)" % f["addr"], walk)
                break
        t.section("findings (pt check)", triage.format_findings(found))
        t.section("finding", [
            "the node covers an untracked range (its marker says so) but was created with",
            "tracking status 'tracked'. Freeing a tracked node drops one reference for each",
            "frame its leaves map: references this node never took. Reference counts",
            "underflow and frames still in use return to the allocator."])
        t.section("fix", [
            "give each page-table node its tracking status at creation from a predicate that",
            "knows every untracked range, the untracked kernel window included, and drop leaf",
            "references on free only for nodes created tracked -- Asterinas PR #1372 and the",
            "follow-up of PR #1374"])
        t.report("BUG", "untracked page-table node freed as tracked: %s" % ", ".join(triage.kinds(mine)))
        return

    found, allowed = _split_allowed(t.findings("pt", REGION_KINDS))
    t.section("what happened", [
        "the run ended at %s after %d tracked node frees, none of them mis-tracked"
        % (t.stopped_at(), checked)])
    if stop.reason in ("panic", "post-mortem"):
        t.section("frames", t.stop_backtrace)
    t.section("findings (pt check --kind %s)" % ",".join(REGION_KINDS), triage.format_findings(found))
    if allowed:
        t.section("not counted: untracked leaves that map free frames (they hold no reference,"
                  " so the allocator may own them)", triage.format_findings(allowed))
    if found:
        why = ["no mis-tracked node was caught being freed, but:"]
        if {"node-tracking-mismatch", "tracking-parent-mismatch"} & set(triage.kinds(found)):
            why.append("a page-table node's recorded tracking status differs from the one its range"
                       " requires: freeing it will drop references its leaves never took (or keep"
                       " ones they hold)")
        if {"freed-frame-mapped", "refcount-below-mappings", "untracked-leaf-owned"} & set(triage.kinds(found)):
            why.append("frames are referenced fewer times than they are mapped, or freed while mapped:"
                       " what freeing an untracked node as tracked leaves behind")
        t.section("finding", why)
        t.section("fix", [
            "fix the tracking status of page-table nodes at creation (Asterinas PR #1372, #1374)"])
        t.report("BUG", "page-table node tracking / frame accounting: %s" % ", ".join(triage.kinds(found)))
    else:
        t.report("OK", "every page-table node's tracking status matches its range; frame references"
                       " match the mappings")
