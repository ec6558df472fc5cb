# SPDX-License-Identifier: MIT
"""gdb commands `pt` and `iommu`: ptdump and iommudump over gdb's own connection.

    (gdb) source gdb-scripts/ptdbg.py        (or: gdb -x gdb-scripts/ptdbg.gdb)
    (gdb) pt dump --user                     same words, same output as `ptdump dump --user`
    (gdb) iommu check                        same as `iommudump check`

QEMU's gdbstub takes one client, so while gdb holds it the command-line tools cannot
attach. These commands run the same code (libptdbg-gdb.so in ../$BUILD/ relative to
this file, $BUILD defaulting to build; or $PTDBG_GDB_LIB) with a target whose
callbacks go through gdb: physical memory via `maint packet Qqemu.PhyMemMode:1` and
read_memory (PhyMemMode restored when the command ends), registers from the selected
frame, monitor commands via `monitor`. The kernel ELF gdb has loaded is passed as -k
unless the line gives -k or --core. The tools write to two memory streams that are
printed here through gdb.write; nothing goes to the process's own stdout or stderr. Words that start with '$' ($pc, $cr2, $rsp+8)
are replaced by their values. What a command reads stays cached until the VM runs
again (or memory is written from gdb): a second command while the VM is stopped reads
only what no earlier one did; -v shows the link reads of each command. The exit status of the last command is in
$ptdbg_status (0 nothing found, 1 findings, 2 error); ptdbg.run() returns it with the
output, for scripts.
"""

import ctypes
import os

import gdb

PTDBG_EIO = -1
PTDBG_ELINK = -2
PTDBG_ENOTSUP = -3
BATCH_BYTES = 64 << 10   # the most one read_memory of a batch asks for
MERGE_MIN = 64          # shorter ranges are device registers: read one by one
CACHE_BYTES = 48 << 20   # what the page cache shared by the commands keeps at most

# The registers the library reads, by their names in QEMU's target description.
REGISTERS = ("rip", "rsp", "cr0", "cr2", "cr3", "cr4", "efer",
             "fs_base", "gs_base", "k_gs_base", "cs",
             # AArch64: the core feature and QEMU's org.qemu.gdb.arm.sys.regs (7.2
             # names SCTLR_EL1 and VBAR_EL1 without the suffix)
             "pc", "cpsr", "TTBR0_EL1", "TTBR1_EL1", "TCR_EL1", "MAIR_EL1", "SCTLR_EL1",
             "SCTLR", "ESR_EL1", "FAR_EL1", "ELR_EL1", "SPSR_EL1", "VBAR_EL1", "VBAR",
             "ID_AA64MMFR0_EL1")

_READ_PHYS = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_uint64,
                              ctypes.c_void_p, ctypes.c_size_t)


class _Io(ctypes.Structure):
    """struct ptdbg_io (tools/lib/target/target.h): one read of a batch."""
    _fields_ = [("pa", ctypes.c_uint64), ("len", ctypes.c_size_t), ("buf", ctypes.c_void_p),
                ("err", ctypes.c_int)]


_READ_BATCH = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_Io), ctypes.c_size_t)
_READ_REGS = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
_MONITOR = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p)


class _Callbacks(ctypes.Structure):
    """struct ptdbg_callbacks (tools/lib/target/callback.h)."""
    _fields_ = [("ctx", ctypes.c_void_p), ("read_phys", _READ_PHYS),
                ("read_phys_batch", _READ_BATCH), ("read_regs", _READ_REGS),
                ("monitor", _MONITOR)]


def _library_path():
    """build/libptdbg-gdb.so: $PTDBG_GDB_LIB, else ../$BUILD/ relative to this file."""
    if os.environ.get("PTDBG_GDB_LIB"):
        return os.environ["PTDBG_GDB_LIB"]
    here = os.path.dirname(os.path.abspath(__file__))
    build = os.environ.get("BUILD", "build")
    return os.path.join(here, "..", build, "libptdbg-gdb.so") if not os.path.isabs(build) \
        else os.path.join(build, "libptdbg-gdb.so")


def _load_library():
    lib = ctypes.CDLL(_library_path())
    argtypes = [ctypes.POINTER(_Callbacks), ctypes.c_int, ctypes.POINTER(ctypes.c_char_p),
                ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)]
    for fn in (lib.ptdbg_gdb_pt, lib.ptdbg_gdb_iommu):
        fn.argtypes = argtypes
        fn.restype = ctypes.c_int
    lib.ptdbg_gdb_free.argtypes = [ctypes.c_void_p]
    lib.ptdbg_callback_set_reg.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint64]
    lib.ptdbg_callback_set_reg.restype = ctypes.c_int
    lib.ptdbg_callback_set_text.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.ptdbg_callback_set_text.restype = ctypes.c_int
    return lib


_lib = _load_library()


def _register_values():
    """The registers of the selected frame that gdb has, as {name: int}; {} if none."""
    values = {}
    try:
        frame = gdb.selected_frame()
    except gdb.error:
        return values
    for name in REGISTERS:
        try:
            value = frame.read_register(name)
            values[name] = int(value) & 0xFFFFFFFFFFFFFFFF
        except (gdb.error, ValueError):
            try:
                values[name] = int(value.format_string(format="x"), 16)
            except Exception:   # the register is not in this target's description
                pass
    return values


class _PageCache:
    """Physical ranges read over gdb's connection, kept while the VM stays stopped:
    dropped when it runs, stops, or memory or registers are written from gdb."""

    def __init__(self):
        self.data = {}
        self.bytes = 0
        self.reads = 0          # read_memory calls made, for -v
        self.read_bytes = 0
        for event in ("cont", "stop", "memory_changed", "register_changed",
                      "inferior_call_pre", "exited", "new_objfile"):
            registry = getattr(gdb.events, event, None)
            if registry is not None:
                registry.connect(self.drop)

    def drop(self, *_):
        """Forget everything."""
        self.data.clear()
        self.bytes = 0

    def get(self, pa, length):
        return self.data.get((pa, length))

    def put(self, pa, data):
        if self.bytes + len(data) > CACHE_BYTES:
            self.drop()
        self.data[(pa, len(data))] = data
        self.bytes += len(data)

    def read(self, pa, length):
        """length bytes at pa over the link (gdb.MemoryError if it cannot)."""
        self.reads += 1
        data = gdb.selected_inferior().read_memory(pa, length).tobytes()
        self.read_bytes += length
        return data


_cache = _PageCache()


class _GdbTarget:
    """The callbacks of one command: physical memory, registers, monitor, via gdb."""

    def __init__(self):
        """Read the registers now; memory goes physical at the first read."""
        self.registers = _register_values()   # read before memory goes physical
        self.physical = False
        self.failed = None
        self.callbacks = _Callbacks(None, _READ_PHYS(self._read_phys),
                                    _READ_BATCH(self._read_batch),
                                    _READ_REGS(self._read_regs), _MONITOR(self._monitor))

    def _set_phys_mode(self, on):
        """Switch the gdbstub's memory accesses to physical (1) or virtual (0)."""
        reply = gdb.execute("maint packet Qqemu.PhyMemMode:%d" % on, to_string=True)
        if 'received: "OK"' not in reply:
            raise gdb.error("the gdbstub does not take Qqemu.PhyMemMode (is this QEMU?)")

    def _read_phys(self, ctx, pa, buf, length):
        """read_phys callback: 0, PTDBG_EIO (gdb cannot read it), PTDBG_ELINK."""
        try:
            data = _cache.get(pa, length)
            if data is None:
                if not self.physical:
                    self._set_phys_mode(1)
                    self.physical = True
                data = _cache.read(pa, length)
                _cache.put(pa, data)
            ctypes.memmove(buf, data, length)
            return 0
        except gdb.MemoryError:
            return PTDBG_EIO
        except BaseException as e:   # the link, or ^C: end the command
            self.failed = str(e)
            return PTDBG_ELINK

    def _read_batch(self, ctx, ios, n):
        """Runs of ranges that follow each other in memory are read with one
        read_memory (up to BATCH_BYTES); a run that fails is read range by range.
        Ranges shorter than MERGE_MIN are device registers (4 or 8 bytes, as an
        IOMMU's register file takes them): each is its own read, never merged."""
        try:
            miss = []
            for k in range(n):
                data = _cache.get(ios[k].pa, ios[k].len)
                if data is None:
                    miss.append(k)
                else:
                    ctypes.memmove(ios[k].buf, data, ios[k].len)
                    ios[k].err = 0
            i = 0
            while i < len(miss):
                j, end = i + 1, ios[miss[i]].pa + ios[miss[i]].len
                while (j < len(miss) and miss[j] == miss[j - 1] + 1 and ios[miss[j]].pa == end
                       and ios[miss[i]].len >= MERGE_MIN and ios[miss[j]].len >= MERGE_MIN
                       and end - ios[miss[i]].pa < BATCH_BYTES):
                    end += ios[miss[j]].len
                    j += 1
                if j - i > 1 and self._read_run(ios, miss[i], miss[j - 1] + 1, end):
                    i = j
                    continue
                for k in miss[i:j]:
                    ios[k].err = self._read_phys(ctx, ios[k].pa, ios[k].buf, ios[k].len)
                    if ios[k].err == PTDBG_ELINK:
                        return PTDBG_ELINK
                i = j
            return 0
        except BaseException as e:
            self.failed = str(e)
            return PTDBG_ELINK

    def _read_run(self, ios, i, j, end):
        """Read ios[i:j], contiguous up to end, at once; False if any of it fails."""
        if not self.physical:
            self._set_phys_mode(1)
            self.physical = True
        try:
            data = _cache.read(ios[i].pa, end - ios[i].pa)
        except gdb.MemoryError:
            return False
        off = 0
        for k in range(i, j):
            piece = data[off:off + ios[k].len]
            ctypes.memmove(ios[k].buf, piece, ios[k].len)
            _cache.put(ios[k].pa, piece)
            ios[k].err = 0
            off += ios[k].len
        return True

    def _read_regs(self, ctx, regs):
        """read_regs callback: the registers read when the command started."""
        for name, value in self.registers.items():
            _lib.ptdbg_callback_set_reg(regs, name.encode(), value)
        return 0 if self.registers else PTDBG_ENOTSUP

    def _monitor(self, ctx, cmd, out):
        """monitor callback: `monitor CMD`'s output into out."""
        try:
            # QEMU's monitor ends lines with CRLF; the tools' gdbstub backend gives LF
            text = gdb.execute("monitor " + cmd.decode(), to_string=True).replace("\r\n", "\n").encode()
        except BaseException as e:
            self.failed = str(e)
            return PTDBG_ELINK
        return 0 if _lib.ptdbg_callback_set_text(out, text, len(text)) == 0 else PTDBG_ELINK

    def close(self):
        """Leave the gdbstub in virtual-memory mode; forget what gdb cached meanwhile."""
        if self.physical:
            self.physical = False
            self._set_phys_mode(0)
            gdb.execute("maint flush dcache", to_string=True)


def _kernel_args(words):
    """-k FILE for the ELF gdb has loaded, unless the words choose their own input."""
    explicit = ("-k", "--elf", "-c", "--core", "-t", "--target")
    if any(w in explicit or w.split("=")[0] in explicit for w in words):
        return []
    progspace = gdb.current_progspace()
    return ["-k", progspace.filename] if progspace and progspace.filename else []


def _expand(word):
    """A word that starts with '$' ($pc, $cr2, $rdi+8, a convenience variable) is
    replaced by its value in hex; other words are kept."""
    if not word.startswith("$"):
        return word
    try:
        return "%#x" % (int(gdb.parse_and_eval(word)) & 0xFFFFFFFFFFFFFFFF)
    except (gdb.error, ValueError):
        return word


def run(tool, words):
    """Run `ptdump WORDS` (tool "pt") or `iommudump WORDS` (tool "iommu") through gdb.

    Returns (status, stdout text, stderr text); sets $ptdbg_status."""
    entry = {"pt": _lib.ptdbg_gdb_pt, "iommu": _lib.ptdbg_gdb_iommu}[tool]
    words = [_expand(w) for w in words]
    # -k first: options may come anywhere, but `monitor` takes every word after its
    # first as the monitor command's
    argv_words = [tool] + _kernel_args(words) + words
    argv = (ctypes.c_char_p * (len(argv_words) + 1))(*[w.encode() for w in argv_words], None)
    out, err = ctypes.c_void_p(), ctypes.c_void_p()
    target = _GdbTarget()
    reads0, bytes0 = _cache.reads, _cache.read_bytes
    try:
        status = entry(ctypes.byref(target.callbacks), len(argv_words), argv,
                       ctypes.byref(out), ctypes.byref(err))
    finally:
        target.close()
    texts = []
    for p in (out, err):
        texts.append(ctypes.string_at(p.value).decode(errors="replace") if p.value else "")
        _lib.ptdbg_gdb_free(p)
    if target.failed:
        texts[1] += "%s: gdb: %s\n" % (tool, target.failed)
    if "-v" in words or "--verbose" in words:
        texts[1] += "%s: gdb: %d link reads, %d bytes (the rest from the cache of this stop)\n" % (
            tool, _cache.reads - reads0, _cache.read_bytes - bytes0)
    gdb.set_convenience_variable("ptdbg_status", status)
    return status, texts[0], texts[1]


class _ToolCommand(gdb.Command):
    """A gdb command that runs one of the tools."""

    def __init__(self, name, tool):
        super().__init__(name, gdb.COMMAND_DATA)
        self.tool = tool

    def invoke(self, arg, from_tty):
        """Run the tool on the words of arg; print its output through gdb."""
        self.dont_repeat()
        _, out, err = run(self.tool, gdb.string_to_argv(arg))
        gdb.write(out)
        if err:
            gdb.write(err, gdb.STDERR)


class PtCommand(_ToolCommand):
    """Page tables of the guest, as ptdump shows them: pt [COMMAND] [ARGS...]

Commands: dump, walk VA, check, faults, region, x VA [N], regs, save FILE, diff A [B],
monitor CMD (pt help, pt COMMAND --help). Memory is read through gdb's connection
(physical mode); the kernel ELF loaded in gdb gives symbols and the debug region.
$ptdbg_status holds the exit status: 0 nothing found, 1 findings, 2 error."""

    def __init__(self):
        super().__init__("pt", "pt")


class IommuCommand(_ToolCommand):
    """VT-d or SMMUv3 state of the guest, as iommudump shows it: iommu [COMMAND] [ARGS...]

Commands: ctx [BDF], regs, faults, dump BDF, walk BDF IOVA, check, bufs, save FILE,
diff A [B] (iommu help, iommu COMMAND --help). $ptdbg_status holds the exit status."""

    def __init__(self):
        super().__init__("iommu", "iommu")


PtCommand()
IommuCommand()
