"""Small real files for attachment tests: a valid PNG (drawn here), a PDF, a JPEG header."""

from __future__ import annotations

import struct
import zlib


def png(width: int = 40, height: int = 30, rgb: tuple[int, int, int] = (230, 160, 0)) -> bytes:
    """Return a valid, decodable PNG of one colour (a "warning light")."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    """Return a minimal PDF (its magic bytes are what counts)."""
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def jpeg_header() -> bytes:
    """Return the start of a JPEG (enough for the type check)."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
