"""Hostile files, built in a few lines each (nothing is downloaded).

Raw PDF syntax for the PDFs (so that a 5,000-page file or a 4 GiB flate stream costs milliseconds),
zipfile for the DOCX packages, plain strings for the HTML.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

GiB = 1 << 30
MiB = 1 << 20


# ---------------------------------------------------------------------------------------- PDF


def raw_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF of the given object bodies (numbered from 1; object 1 is the catalog), with an xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (Annual report, with some text on the page) Tj ET"


def pages_pdf(n: int, content: bytes = TEXT, trailer_extra: bytes = b"") -> bytes:
    """n pages sharing one content stream (objects: catalog, pages, font, content, page...)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        FONT,
        stream(content),
        *([PAGE] * n),
    ]
    return raw_pdf(objects, trailer_extra)


def _adler32_combine(a1: int, a2: int, len2: int) -> int:
    base = 65521
    rem = len2 % base
    s1 = a1 & 0xFFFF
    s2 = (rem * s1) % base
    s1 = (s1 + (a2 & 0xFFFF) + base - 1) % base
    s2 = (s2 + ((a1 >> 16) & 0xFFFF) + ((a2 >> 16) & 0xFFFF) + base - rem) % base
    return s1 | (s2 << 16)


def repeated_zlib(prefix: bytes, block: bytes, times: int) -> bytes:
    """A valid zlib stream of ``prefix + block * times`` made without compressing every copy:
    after a full flush the compressor's output for the same input is the same bytes."""
    co = zlib.compressobj(9)
    head = co.compress(prefix) + co.flush(zlib.Z_FULL_FLUSH)
    one = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    assert one == again  # the trick holds for this zlib
    end = co.flush(zlib.Z_FINISH)  # an empty final block and the (wrong) checksum of 2 blocks
    checksum = zlib.adler32(prefix)
    a_block, length = zlib.adler32(block), len(block)
    acc, acc_len, n = None, 0, times  # adler32 of block * times by doubling
    power, power_len = a_block, length
    while n:
        if n & 1:
            acc = power if acc is None else _adler32_combine(acc, power, power_len)
            acc_len += power_len
        power = _adler32_combine(power, power, power_len)
        power_len *= 2
        n >>= 1
    checksum = _adler32_combine(checksum, acc, acc_len)
    return head + one * times + end[:-4] + struct.pack(">I", checksum)


def flate_bomb_pdf(inflated: int = 4 * GiB) -> bytes:
    """One page whose content stream (a few MB) inflates to ``inflated`` bytes of spaces."""
    body = repeated_zlib(TEXT + b"\n", b" " * MiB, inflated // MiB)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        FONT,
        stream(body, b"/Filter /FlateDecode "),
        PAGE,
    ]
    return raw_pdf(objects)


def slow_page_pdf(operations: int = 2_000_000) -> bytes:
    """A 7 KB PDF whose one page is ``operations`` no-op matrix changes: minutes of interpretation."""
    block = b"1 0 0 1 0 0 cm\n" * 10_000
    body = repeated_zlib(TEXT + b"\n", block, max(1, operations // 10_000))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        FONT,
        stream(body, b"/Filter /FlateDecode "),
        PAGE,
    ]
    return raw_pdf(objects)


def encrypted_claim_pdf(kind: str) -> bytes:
    """A PDF whose trailer says it is encrypted: ``standard`` (a password we do not have),
    ``unknown`` (a security handler nobody knows), ``dangling`` (the dictionary is missing)."""
    if kind == "dangling":
        return pages_pdf(
            1,
            trailer_extra=b"/Encrypt 99 0 R /ID [<00112233445566778899aabbccddeeff> "
            b"<00112233445566778899aabbccddeeff>] ",
        )
    if kind == "unknown":
        enc = b"<< /Filter /NoSuchHandler /V 9 /R 9 /Length 128 >>"
    else:
        enc = b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <" + b"41" * 32 + b"> /U <" + b"42" * 32 + b"> >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        FONT,
        stream(TEXT),
        PAGE,
        enc,
    ]
    return raw_pdf(
        objects, b"/Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] "
    )


# --------------------------------------------------------------------------------------- DOCX

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)
W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document_xml(text: str = "2023年度政府信息公开工作年度报告") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document '
        + W_NS
        + b"><w:body><w:p><w:r><w:t>"
        + text.encode("utf-8")
        + b"</w:t></w:r></w:p></w:body></w:document>"
    )


def docx(parts: dict[str, bytes], compresslevel: int | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def minimal_docx(**extra: bytes) -> bytes:
    return docx({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document_xml(), **extra})


def _gf2_times(mat: list[int], vec: int) -> int:
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from the CRCs of A and B and the length of B (zlib's method, GF(2) matrices)."""
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = [_gf2_times(odd, odd[n]) for n in range(32)]  # two zero bits
    odd = [_gf2_times(even, even[n]) for n in range(32)]  # four zero bits
    while True:
        even = [_gf2_times(odd, odd[n]) for n in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = [_gf2_times(even, even[n]) for n in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def repeated_deflate(block: bytes, times: int) -> tuple[bytes, int, int]:
    """(raw deflate of ``block * times``, its CRC-32, its size), without compressing every copy."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    assert one == co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    end = co.flush(zlib.Z_FINISH)
    crc, length, n, power, power_len = 0, 0, times, zlib.crc32(block), len(block)
    while n:  # CRC of block * times by doubling
        if n & 1:
            crc = crc32_combine(crc, power, power_len) if length else power
            length += power_len
        power = crc32_combine(power, power, power_len)
        power_len *= 2
        n >>= 1
    return one * times + end, crc, len(block) * times


def raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, data as stored, method 0|8, crc32, declared unpacked size), no zip64."""
    out, central = bytearray(), bytearray()
    for name, data, method, crc, size in members:
        encoded = name.encode("utf-8")
        fields = struct.pack("<HHHHHIII", 20, 0x800, method, 0, 0x21, crc, len(data), size)
        central += (
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, len(out))
            + encoded
        )
        out += b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + data
    n = len(members)
    return bytes(out + central + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, n, n, len(central), len(out), 0))


def _deflated(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return name, co.compress(data) + co.flush(), 8, zlib.crc32(data), len(data)


def _base_parts(document: bytes | None = None) -> list[tuple[str, bytes, int, int, int]]:
    return [_deflated("[Content_Types].xml", CONTENT_TYPES), _deflated("word/document.xml", document or document_xml())]


def zip_bomb_docx(unpacked: int = 2 * GiB) -> bytes:
    """A DOCX with a media part of ``unpacked`` zero bytes (the zip is about 1 MB per GB)."""
    data, crc, size = repeated_deflate(bytes(MiB), unpacked // MiB)
    return raw_zip([*_base_parts(), ("word/media/image1.png", data, 8, crc, min(size, 0xFFFFFFFF))])


def overlapping_zip_bomb_docx(copies: int = 40, unpacked: int = 256 * MiB) -> bytes:
    """Many directory entries that all point at the same deflated data ("non-recursive" zip bomb)."""
    data, crc, size = repeated_deflate(bytes(MiB), unpacked // MiB)
    one = raw_zip([*_base_parts(), ("word/media/image.png", data, 8, crc, size)])
    eocd = one.rindex(b"PK\x05\x06")
    cd_at = struct.unpack_from("<I", one, eocd + 16)[0]
    central = bytearray(one[cd_at:eocd])
    last = central.rindex(b"PK\x01\x02")
    entry = bytes(central[last:])
    for i in range(copies - 1):
        central += entry.replace(b"word/media/image.png", f"word/media/i{i:04d}.png".encode()[:20].ljust(20, b"_"))
    n = 2 + copies
    return one[:cd_at] + bytes(central) + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, n, n, len(central), cd_at, 0)


def lying_zip_bomb_docx(unpacked: int = GiB) -> bytes:
    """A DOCX whose document.xml inflates to ``unpacked`` bytes while its directory says 1 KB."""
    data, crc, _ = repeated_deflate(b" " * MiB, unpacked // MiB)
    return raw_zip([_deflated("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", data, 8, crc, 1024)])


def many_parts_docx(n: int = 12_000) -> bytes:
    return raw_zip([*_base_parts(), *((f"word/p{i}.bin", b"", 0, 0, 0) for i in range(n))])


def lying_count_docx(n: int = 40_000) -> bytes:
    """Many parts while the zip's end record says 3 (zipfile reads the whole directory anyway)."""
    data = bytearray(many_parts_docx(n))
    at = data.rindex(b"PK\x05\x06")
    struct.pack_into("<HH", data, at + 8, 3, 3)
    return bytes(data)


def docx_with_part(name: str, data: bytes) -> bytes:
    return raw_zip([*_base_parts(), _deflated(name, data)])


def docx_with_document(document: bytes) -> bytes:
    return raw_zip(_base_parts(document))


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w:document [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    + b"]>\n<w:document "
    + W_NS
    + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body>"
    b"</w:document>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w:document [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
    b"<w:document " + W_NS + b"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)


def late_doctype(xml: bytes, padding: int = 20_000) -> bytes:
    """The same DTD behind a long comment, past where a look at the first bytes would stop."""
    decl, rest = xml.split(b"\n", 1)
    return decl + b"\n<!--" + b" " * padding + b"-->\n" + rest


# --------------------------------------------------------------------------------------- HTML


def nested_html(depth: int, tag: str = "div") -> bytes:
    return (
        f"<html><body><p>2023年度政府信息公开工作年度报告</p>{f'<{tag}>' * depth}深处"
        f"{f'</{tag}>' * depth}</body></html>"
    ).encode("utf-8")


def big_table_html(size: int = 50 * MiB) -> bytes:
    row = "<tr>" + "".join(f"<td>{i}</td>" for i in range(10)) + "</tr>\n"
    head = "<html><head><meta charset='utf-8'><title>表</title></head><body><table>\n"
    n = (size - len(head)) // len(row) + 1
    return (head + row * n + "</table></body></html>").encode("utf-8")


NOT_A_REPORT = (
    "<html><head><meta charset='utf-8'><title>关于做好2023年政务公开工作的通知</title></head><body>"
    "<div class='TRS_Editor'><p>各单位：为进一步做好政务公开工作，现将有关事项通知如下。</p>"
    "<p>一、提高认识。二、加强领导。三、抓好落实。</p></div></body></html>"
).encode("utf-8")


def random_bytes(n: int = 64 * 1024, seed: int = 8) -> bytes:
    return random.Random(seed).randbytes(n)
