#!/usr/bin/env python3
"""Hostile .xls files for tests/formats/test_xls_hostile.tap, each made from
the LibreOffice export tests/formats/fixtures/office.xls (four sheets) by
changing a few bytes.

  make_hostile_xls.py FIXTURE OUTDIR

truncated.xls   the first 4000 of its 8704 bytes
text.xls        a CSV file named .xls
zip.xls         the .xlsx export named .xls
empty.xls       no byte at all
dimension.xls   its first sheet's DIMENSION record declares 65536 rows x 256
                columns, the most FreeXL 1.0.6 accepts (16 bytes each: 256 MiB)
dimensions.xls  all four sheets so: 1 GiB once FreeXL opened it
nodim.xls       no DIMENSION record (its type changed), and one cell moved to
                row 65536, column IV: FreeXL sizes the sheet by that cell
fatloop.xls     the directory's sector chained to itself in the FAT
bigstream.xls   the Workbook stream's directory entry declares 2 GiB (FreeXL
                allocated that much for such a file)
format.xls      the first FORMAT record declares 29555 characters in its 12
                bytes (FreeXL read 59 KB past its buffer for such a record)
corrupt-N.xls   16 bytes overwritten with 0xFF at offset N, every 512 bytes
                from 512: the header, FAT, directory and BIFF records in turn
"""
import os
import struct
import sys

DIMENSION = b"\x00\x02\x0e\x00"  # record 0x0200, 14 bytes (BIFF8)


def main():
    fixture, out = sys.argv[1], sys.argv[2]
    data = open(fixture, "rb").read()

    def write(name, content):
        with open(os.path.join(out, name), "wb") as f:
            f.write(content)

    write("truncated.xls", data[:4000])
    write("text.xls", b"id,name\n1,Amina\n")
    with open(os.path.join(os.path.dirname(fixture), "office.xlsx"), "rb") as f:
        write("zip.xls", f.read())
    write("empty.xls", b"")

    dims = []
    at = data.find(DIMENSION)
    while at >= 0:
        dims.append(at)
        at = data.find(DIMENSION, at + 1)
    assert len(dims) == 4, dims

    def declare(positions):
        b = bytearray(data)
        for p in positions:
            struct.pack_into("<IIHH", b, p + 4, 0, 65536, 0, 256)
        return bytes(b)

    write("dimension.xls", declare(dims[:1]))
    write("dimensions.xls", declare(dims))

    b = bytearray(data)
    b[dims[0] : dims[0] + 2] = b"\xff\x1f"  # no longer a DIMENSION record
    cell = b.find(b"\xfd\x00\x0a\x00\x06\x00\x09\x00")  # LABELSST at J7
    assert cell > 0
    struct.pack_into("<HH", b, cell + 4, 65535, 255)
    write("nodim.xls", bytes(b))

    # the FAT entry of the directory's first sector points back at it
    b = bytearray(data)
    shift = struct.unpack_from("<H", b, 0x1E)[0]
    dir_start = struct.unpack_from("<I", b, 0x30)[0]
    fat_sector = struct.unpack_from("<I", b, 0x4C)[0]
    struct.pack_into("<I", b, ((fat_sector + 1) << shift) + 4 * dir_start, dir_start)
    write("fatloop.xls", bytes(b))

    b = bytearray(data)
    entry = b.find("Workbook".encode("utf-16le"))
    assert entry > 0
    struct.pack_into("<I", b, entry + 0x78, 0x80000000)
    write("bigstream.xls", bytes(b))

    b = bytearray(data)
    fmt = b.find(b"\x1e\x04\x0c\x00")  # FORMAT, 12 bytes: index(2) cch(2) flags(1) text
    assert fmt > 0
    struct.pack_into("<H", b, fmt + 6, 29555)
    write("format.xls", bytes(b))

    for off in range(512, len(data), 512):
        b = bytearray(data)
        b[off : off + 16] = b"\xff" * 16
        write("corrupt-%d.xls" % off, bytes(b))


if __name__ == "__main__":
    main()
