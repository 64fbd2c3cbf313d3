"""A measured proposal, not used by the pipeline: give mammoth only the styles a document uses.

mammoth parses every part with ``xml.dom.minidom`` and then copies the tree into its own
objects; a Word template's ``styles.xml`` (python-docx's is 350 KB: 160+ styles and the latent
styles table) costs it more than the document itself. Styles that no paragraph, run or table
names (directly or through ``basedOn``/``link``) cannot change the conversion, and mammoth never
reads ``w:latentStyles``. :func:`prune_styles` drops them before conversion.
"""

from __future__ import annotations

import io
import re
import zipfile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REF = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink)\b[^>]*?\bw:val="([^"]+)"')


def prune_styles(data: bytes) -> bytes:
    """The DOCX package with ``word/styles.xml`` reduced to the styles its parts refer to."""
    import lxml.etree

    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        names = zin.namelist()
        if "word/styles.xml" not in names:
            return data
        used: set[str] = set()
        for name in names:
            if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
                used.update(v.decode("utf-8", "replace") for v in _REF.findall(zin.read(name)))
        root = lxml.etree.fromstring(zin.read("word/styles.xml"))
        by_id = {s.get(W + "styleId"): s for s in root.iter(W + "style")}
        keep: set[str] = set()
        todo = list(used) + [sid for sid, s in by_id.items() if s.get(W + "default") in ("1", "true")]
        while todo:
            sid = todo.pop()
            if sid in keep or sid not in by_id:
                continue
            keep.add(sid)
            for tag in ("basedOn", "link"):
                el = by_id[sid].find(W + tag)
                if el is not None and el.get(W + "val"):
                    todo.append(el.get(W + "val"))
        for sid, s in by_id.items():
            if sid not in keep:
                s.getparent().remove(s)
        for latent in root.findall(W + "latentStyles"):
            root.remove(latent)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                body = (
                    lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                    if info.filename == "word/styles.xml"
                    else zin.read(info.filename)
                )
                zout.writestr(info.filename, body)
        return buf.getvalue()
