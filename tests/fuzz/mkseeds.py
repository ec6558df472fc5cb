#!/usr/bin/env python3
"""tests/fuzz/mkseeds.py: cut the fuzz seed corpora out of captures of a real VM.

Captures (reference kernel, scenario default, -m 128M, through `ptdump monitor`):
  RAM    pmemsave 0 134217728 "RAM"         all of guest RAM
  DRHD   pmemsave 0xfed90000 4096 "DRHD"    the VT-d unit's register file
  CORE   dump-guest-memory CORE              an ELF core of the same VM
  REGION the debug region's physical address (ptdump region -j | jq .address)

  tests/fuzz/mkseeds.py RAM DRHD CORE REGION

Each seed is a target's parameter block (see the header comment of its
fuzz_*.c) followed by a small memory image: the page tables the VM really had,
compacted into the first pages, the region with its arrays moved next to it, a
core file whose memory is cut to those pages. The VT-d tables are synthetic (the
reference kernel does not enable the unit in this scenario) around the real
register file and the real ACPI DMAR table.
"""
import os
import struct
import sys
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
ADDR = 0x000FFFFFFFFFF000
P, PS = 1, 0x80


def u64(b, off):
    return struct.unpack_from("<Q", b, off)[0]


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def tables(ram, root, levels=4):
    """Physical addresses of the tables reachable from root, breadth first."""
    seen, order, queue = set(), [], [(root, levels)]
    while queue:
        pa, lvl = queue.pop(0)
        if pa in seen or pa + 4096 > len(ram):
            continue
        seen.add(pa)
        order.append(pa)
        if lvl == 1:
            continue
        for i in range(512):
            e = u64(ram, pa + 8 * i)
            if e & P and not (e & PS and lvl in (2, 3)):
                queue.append((e & ADDR, lvl - 1))
    return order


def compact(ram, root, low):
    """An image holding ram[0:low] and every table of root above low, moved to the
    pages right after low, with the entries that point to them rewritten."""
    moved = [pa for pa in tables(ram, root) if pa >= low]
    where = {pa: low + 4096 * i for i, pa in enumerate(moved)}
    img = bytearray(ram[:low]) + bytearray(4096 * len(moved))
    for pa in moved:
        img[where[pa]:where[pa] + 4096] = ram[pa:pa + 4096]
    for pa in [p for p in tables(ram, root) if p < low] + [where[p] for p in moved]:
        for i in range(512):
            e = u64(img, pa + 8 * i)
            if e & P and (e & ADDR) in where:
                struct.pack_into("<Q", img, pa + 8 * i, (e & ~ADDR) | where[e & ADDR])
    return bytes(img), where.get(root, root)


def x86_hdr(cr3, flags=0, cr0=0x80010011, cr4=0x003000A0, efer=0xD00, pat=0x0407050600070106,
            va_first=0, va_last=0xFFFFFFFFFFFFFFFF):
    return struct.pack("<5QBBBBI2Q", cr0, cr3, cr4, efer, pat, flags, 40, 3, 0, 0xFFFFFFFF,
                       va_first, va_last)


def seeds_x86(ram):
    low = 0x12000  # the kernel's tables all lie below this
    put("x86", "kernel-space", x86_hdr(0x1000) + ram[:low])
    put("x86", "kernel-space-filtered",
        x86_hdr(0x1000, flags=8 | 0x10, va_first=0xFFFFFFFF80000000) + ram[:low])
    put("x86", "kernel-as-5-level", x86_hdr(0x1000, flags=2) + ram[:low])
    for name, root in (("alpha", 0x17000), ("beta", 0x22000)):
        img, r = compact(ram, root, low)
        put("x86", "user-" + name, x86_hdr(r, flags=4 | 0x40) + img)
    # a recursive slot: the kernel PML4 pointing at itself
    img = bytearray(ram[:low])
    struct.pack_into("<Q", img, 0x1000 + 8 * 510, 0x1000 | 0x63)
    put("x86", "recursive-slot", x86_hdr(0x1000) + bytes(img))


def relocate_region(ram, pa):
    """The region header at 0x40 of a small image, its arrays after it (the frame
    metadata cut to 256 frames), every physical address rewritten."""
    hdr = bytearray(ram[pa:pa + 4096])
    body = bytearray()
    base = 0x40 + 4096
    size = struct.unpack_from("<I", hdr, 12)[0]
    hdr = hdr[:size]
    struct.pack_into("<Q", hdr, 24, 0x40)  # self_phys
    # struct ptdbg_region: 8+4+4+8+8+8+4+4 = 48, cpu 56 -> spaces at 104
    arrays = [104, 128]  # spaces, markers (struct ptdbg_array)
    frames = 152         # struct ptdbg_frames
    iommu = 200          # struct ptdbg_iommu: domains at +24, dma_bufs at +48
    faults = 272         # struct ptdbg_faultlog: ring at +8
    arrays += [iommu + 24, iommu + 48, faults + 8]
    for off in arrays:
        phys, count, cap, esz = struct.unpack_from("<QIII", hdr, off)
        n = max(count, cap) if off == faults + 8 else count
        if not phys or not n or esz > 4096:
            continue
        data = ram[phys:phys + n * esz]
        struct.pack_into("<Q", hdr, off, base + len(body))
        body += data + bytes(-len(data) % 64)
    phys, basepfn, count, esz = struct.unpack_from("<QQQI", hdr, frames)
    if phys and esz:
        n = min(count, 256)
        struct.pack_into("<QQQ", hdr, frames, base + len(body), basepfn, n)
        body += ram[phys:phys + n * esz]
    return bytes(0x40) + bytes(hdr) + bytes(4096 - len(hdr)) + bytes(body)


def seeds_region(ram, pa):
    img = relocate_region(ram, pa)
    put("region", "default-scenario", struct.pack("<IIHHI", 0x40, 0, 64, 0, 0xFFFFF) + img)
    torn = bytearray(img)
    struct.pack_into("<Q", torn, 0x40 + 16, u64(torn, 0x40 + 16) | 1)
    put("region", "torn-generation", struct.pack("<IIHHI", 0x40, 0, 8, 0, 0x100) + bytes(torn))
    put("region", "scan-only", struct.pack("<IIHHI", 0x1000, 0, 1, 0, 0) + img)


def vtd_image(drhd, dmar, scalable):
    """Root table 0x1000, context table 0x2000 (scalable: 0x2000 lower half), a
    3-level second-level table at 0x3000-0x5000, the register file at 0x8000, the
    DMAR table at 0x9000."""
    img = bytearray(0xA000)
    struct.pack_into("<QQ", img, 0x1000, 0x2000 | 1, 0x2000 | 1 if scalable else 0)
    devfn = 0x10
    if scalable:
        # scalable context: PASID directory at 0x6000, PASID entry table 0x7000
        struct.pack_into("<4Q", img, 0x2000 + 32 * devfn, 0x6000 | 1, 0, 0, 0)
        struct.pack_into("<Q", img, 0x6000, 0x7000 | 1)
        # PASID entry 0: P, PGTT=2 (second level), AW=1, DID 1, SLPTPTR 0x3000
        struct.pack_into("<8Q", img, 0x7000, 0x3000 | (2 << 6) | (1 << 2) | 1, 1, 0, 0, 0, 0, 0, 0)
    else:
        struct.pack_into("<QQ", img, 0x2000 + 16 * devfn, 0x3000 | 1, (1 << 8) | 1)
    struct.pack_into("<Q", img, 0x3000, 0x4000 | 3)
    struct.pack_into("<Q", img, 0x4000, 0x5000 | 3)
    struct.pack_into("<Q", img, 0x4008, 0x200000 | 0x80 | 1)       # 2 MiB, read only
    struct.pack_into("<Q", img, 0x4010, 0x12345000)                # R=W=0, nonzero
    for i in range(8):
        struct.pack_into("<Q", img, 0x5000 + 8 * i, 0x100000 + 0x1000 * i | 3)
    struct.pack_into("<Q", img, 0x5000 + 8 * 9, 0x3000 | 3)        # points at the root
    img[0x8000:0x9000] = drhd[:4096]
    img[0x9000:0x9000 + len(dmar)] = dmar
    return bytes(img)


def vtd_hdr(scalable, bdf=0x10, iova=0x1000, flags=0, pasid=0xFFFFFFFF):
    return struct.pack("<QHBBIQBBBBIQII", 0x1000, bdf, flags | (1 if scalable else 0), 3, pasid,
                       iova, 39, 39, 0x4, 0x1, 0x8000, 0x3000, 0x9000, 0)


def seeds_vtd(ram, drhd):
    at = ram.find(b"DMAR")
    while at >= 0 and not (48 <= struct.unpack_from("<I", ram, at + 4)[0] <= 4096):
        at = ram.find(b"DMAR", at + 1)
    dmar = ram[at:at + struct.unpack_from("<I", ram, at + 4)[0]] if at >= 0 else b""
    put("vtd", "legacy", vtd_hdr(False) + vtd_image(drhd, dmar, False))
    put("vtd", "legacy-write-2m", vtd_hdr(False, iova=0x200000, flags=0x20) + vtd_image(drhd, dmar, False))
    put("vtd", "scalable", vtd_hdr(True, pasid=0) + vtd_image(drhd, dmar, True))
    put("vtd", "scalable-no-pasid", vtd_hdr(True, flags=2 | 4) + vtd_image(drhd, dmar, True))


def seeds_core(core):
    """The real ELF header and notes; one PT_LOAD cut to the kernel's tables
    (64 KiB from the file, 128 KiB in memory: the rest reads as zeros) and the
    firmware segment cut to one page."""
    phoff, = struct.unpack_from("<Q", core, 32)
    phentsize, phnum = struct.unpack_from("<HH", core, 54)
    phdrs = [list(struct.unpack_from("<IIQQQQQQ", core, phoff + i * phentsize)) for i in range(phnum)]
    notes = [p for p in phdrs if p[0] == 4]
    loads = [p for p in phdrs if p[0] == 1]
    out = bytearray(core[:64])
    struct.pack_into("<H", out, 56, len(notes) + len(loads))
    struct.pack_into("<Q", out, 32, 64)
    data_off = 64 + 56 * (len(notes) + len(loads))
    blobs = []
    new = []
    for p in notes:
        blob = core[p[2]:p[2] + p[5]]
        # the kernel address space: CR3 0x1000 in the QEMU note (QEMUCPUState.cr[3])
        i = blob.find(b"QEMU\0")
        if i >= 0:
            desc = (i + 5 + 3) & ~3
            b = bytearray(blob)
            struct.pack_into("<Q", b, desc + 392 + 3 * 8, 0x1000)
            blob = bytes(b)
        new.append([4, p[1], 0, 0, 0, len(blob), len(blob), p[7]])
        blobs.append(blob)
    for p in loads:
        keep = 0x10000 if p[4] == 0 else 0x1000
        new.append([1, p[1], 0, p[3], p[4], keep, 2 * keep, p[7]])
        blobs.append(core[p[2]:p[2] + keep])
    off = data_off
    for p, blob in zip(new, blobs):
        p[2] = off
        off += len(blob)
    for p in new:
        out += struct.pack("<IIQQQQQQ", *p)
    for blob in blobs:
        out += blob
    put("core", "qemu-dump-cut", bytes(out))
    put("core", "truncated-headers", bytes(out[:200]))
    put("core", "truncated-memory", bytes(out[:data_off + 0x2000]))


def seeds_snap():
    def snap(spaces, version=1):
        b = b"PTDBGSNP" + struct.pack("<IIIIQ", version, 32, len(spaces), 1, 1700000000)
        for name, recs in spaces:
            b += name.encode().ljust(48, b"\0") + struct.pack("<IIQQ", 1, 4, 0x1000, len(recs))
            for va, size, pa, attrs, lvl in recs:
                b += struct.pack("<QQQIBBBB", va, size, pa, attrs, lvl, 6, 0, 0)
        return b + struct.pack("<I", zlib.crc32(b)) + b"PTDBGEND"
    k = [(0xFFFF800000000000, 1 << 30, 0, 0x0D, 3), (0xFFFFFFFF80000000, 0x200000, 0x100000, 0x08, 2),
         (0xFFFFFFFF80200000, 0x1000, 0x300000, 0x0D, 1)]
    u = [(0x400000, 0x3000, 0x500000, 0x03, 1), (0x7FFFFFFFE000, 0x2000, 0x600000, 0x07, 1)]
    good = snap([("kernel", k), ("alpha", u)])
    put("snap", "two-spaces", b"\0" + good)
    put("snap", "newer-version", b"\0" + snap([("kernel", k)], version=2))
    put("snap", "truncated", b"\0" + good[:100])
    bad = bytearray(good)
    bad[40] ^= 1
    put("snap", "corrupted", b"\0" + bytes(bad))
    put("snap", "out-of-order-fixed-crc", b"\1" + snap([("kernel", k[::-1])]))


def seeds_rsp():
    def frame(p):
        return b"$" + p + b"#" + b"%02x" % (sum(p) & 0xFF)
    put("rsp", "qsupported", b"\0\x10" + b"+" + frame(b"PacketSize=1000;qXfer:features:read+;multiprocess+"))
    put("rsp", "memory-rle", b"\3\x07" + b"+" + frame(b"0000* 1122ff}]") + b"+" + frame(b"E14"))
    put("rsp", "notify-interrupt-noise", b"\1\x01" + b"\x03junk%" + frame(b"Stop:T05")[1:] + b"-" +
        b"$bad#zz" + frame(b"OK"))
    put("rsp", "oversize", b"\2\xff" + frame(b"4" * 64))


def seeds_gdbstub(ram):
    """What a QEMU-like stub sends in one run of the fuzz target, in the order the
    tool asks (handshake, target description, 11 registers, 6 memory reads, a monitor
    command, restore): real memory from the capture in the m replies."""
    def frame(p):
        return b"$" + p + b"#" + b"%02x" % (sum(p) & 0xFF)
    regs = [("rip", 64, 0xFFFFFFFF80104782), ("rsp", 64, 0xFFFFFFFF80FF0000), ("cs", 32, 0x10),
            ("fs_base", 64, 0), ("gs_base", 64, 0), ("k_gs_base", 64, 0), ("cr0", 64, 0x80010011),
            ("cr2", 64, 0x100044000), ("cr3", 64, 0x1000), ("cr4", 64, 0x3000A0), ("efer", 64, 0xD00)]
    xml = (b'<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd"><target>'
           b'<architecture>i386:x86-64</architecture><feature name="org.qemu.gdb.x86">' +
           b"".join(b'<reg name="%s" bitsize="%d" type="int"/>' % (n.encode(), b) for n, b, _ in regs) +
           b"</feature></target>")
    out = b"+" + frame(b"PacketSize=1000;qXfer:features:read+;vContSupported+")
    out += b"+" + frame(b"0") + b"+" + frame(b"OK") + b"+" + frame(b"l" + xml)
    for _, bits, v in regs:
        out += b"+" + frame(v.to_bytes(bits // 8, "little").hex().encode())
    for pa, n in ((0x1000, 0x800), (0x1800, 0x800), (0x2FF8, 0x10), (0, 0x800), (0x800, 0x800)):
        out += b"+" + frame(ram[pa:pa + n].hex().encode())
    out += b"+" + frame(b"E14")
    out += b"+" + frame(b"O" + b"VM status: paused\r\n".hex().encode()) + frame(b"OK")
    out += b"+" + frame(b"OK") + b"+" + frame(b"OK")
    put("gdbstub", "full-exchange", out)
    # the same with QEMU's run-length encoding, a stop notification and a NAK
    rle = out.replace(frame(b"0" * 32), frame(b"0* ") + b"")
    put("gdbstub", "full-exchange-noise", b"-" + frame(b"T02thread:01;") + b"%Stop:T05#00" + rle)
    put("gdbstub", "no-phymem", b"+" + frame(b"PacketSize=1000") + b"+" + frame(b""))


def main():
    ram = open(sys.argv[1], "rb").read()
    drhd = open(sys.argv[2], "rb").read()
    core = open(sys.argv[3], "rb").read()
    region = int(sys.argv[4], 0)
    seeds_x86(ram)
    seeds_region(ram, region)
    seeds_vtd(ram, drhd)
    seeds_core(core)
    seeds_snap()
    seeds_rsp()
    seeds_gdbstub(ram)


if __name__ == "__main__":
    main()
