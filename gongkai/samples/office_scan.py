"""Scans made the way offices make them: the signed, sealed paper through a copier or a phone.

``office_scan(pdf_bytes, rng)`` renders every page and degrades it as real scans are degraded:
paper tone and uneven light, a red (or blue) seal stamped over table cells, a small rotation
(up to 2°), optionally a page photo's perspective, blur, sensor noise, 150–300 dpi, grey or
colour, JPEG quality 50–90; the result is an image-only PDF (no text layer). The parameters that
were drawn are returned with the bytes so that a sweep can say which kind of scan failed.
"""

from __future__ import annotations

import io
import math
import random
import time
from dataclasses import asdict, dataclass

__all__ = ["ScanStyle", "draw_style", "office_scan"]


@dataclass(frozen=True)
class ScanStyle:
    dpi: int = 200
    colour: bool = False
    skew_deg: float = 0.0
    jpeg_quality: int = 75
    seal: str | None = "red"  # red | blue | None
    seal_pages: tuple[int, ...] = ()  # 1-based; () = every page after the first
    seal_at: tuple[float, float] | None = None  # centre as a fraction of the page; None = drawn
    perspective: float = 0.0  # corner displacement as a fraction of the page (a photo)
    paper: int = 232  # paper grey level
    light: float = 0.12  # uneven light: darkening towards one corner
    noise: float = 6.0
    blur: float = 0.6

    def describe(self) -> dict:
        return asdict(self)


def draw_style(rng: random.Random) -> ScanStyle:
    """A scan style as offices produce them (the ranges of issue 17)."""
    photo = rng.random() < 0.2
    return ScanStyle(
        dpi=rng.choice((150, 200, 250, 300)),
        colour=rng.random() < 0.5,
        skew_deg=round(rng.uniform(-2.0, 2.0), 2),
        jpeg_quality=rng.randint(50, 90),
        seal=rng.choice(("red", "red", "blue", None)),
        seal_at=None,
        perspective=round(rng.uniform(0.005, 0.02), 3) if photo else 0.0,
        paper=rng.randint(215, 245),
        light=round(rng.uniform(0.0, 0.2), 2),
        noise=round(rng.uniform(2.0, 9.0), 1),
        blur=round(rng.uniform(0.0, 0.9), 2),
    )


def office_scan(pdf_bytes: bytes, style: ScanStyle, seed: int = 0) -> bytes:
    """An image-only PDF of ``pdf_bytes`` scanned in ``style`` (deterministic for a seed)."""
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    doc = pdfium.PdfDocument(pdf_bytes)
    pages = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            size = page.get_size()
            img = page.render(scale=style.dpi / 72.0).to_pil().convert("RGB")
            page.close()
            sealed = style.seal and ((i + 1) in style.seal_pages if style.seal_pages else i > 0)
            pages.append((_degrade(img, style, rng, bool(sealed)), size))
    finally:
        doc.close()
    out = []
    for img, _ in pages:
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=style.jpeg_quality)
        out.append(Image.open(io.BytesIO(buf.getvalue())))
    buf = io.BytesIO()
    fixed = time.gmtime(946684800)  # 2000-01-01: the same bytes for the same seed
    out[0].save(
        buf, format="PDF", save_all=True, append_images=out[1:], resolution=style.dpi, creationDate=fixed, modDate=fixed
    )
    return buf.getvalue()


def _degrade(img, style: ScanStyle, rng: random.Random, sealed: bool):
    import numpy as np
    from PIL import Image, ImageFilter

    a = np.asarray(img).astype(np.float32)
    h, w = a.shape[:2]
    if sealed:
        a = _stamp(a, style, rng)
    # paper tone and uneven light: ink stays ink, white becomes the paper's grey
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.choice((0, w)), rng.choice((0, h))
    dist = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / math.hypot(w, h)
    light = (1.0 - style.light * (1.0 - dist))[..., None]
    a = a / 255.0 * style.paper * light
    a += np.random.default_rng(rng.randrange(1 << 30)).normal(0, style.noise, a.shape).astype(np.float32)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if style.blur:
        img = img.filter(ImageFilter.GaussianBlur(style.blur))
    fill = (style.paper // 2,) * 3  # the scanner lid beyond the paper
    img = img.rotate(style.skew_deg, resample=Image.BICUBIC, expand=False, fillcolor=fill)
    if style.perspective:
        img = _perspective(img, style.perspective, rng, fill)
    return img if style.colour else img.convert("L")


def _stamp(a, style: ScanStyle, rng: random.Random):
    """A round seal (double ring, star, a band of strokes for its text) in red or blue ink,
    multiplied over the page: black print under it stays black."""
    import numpy as np

    h, w = a.shape[:2]
    fx, fy = style.seal_at or (rng.uniform(0.35, 0.75), rng.uniform(0.25, 0.75))
    cx, cy, r = fx * w, fy * h, style.dpi * 0.8  # a 40 mm seal
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
    t = max(2.0, style.dpi / 50)
    mask = (np.abs(d - r) < t) | (np.abs(d - (r - 2.2 * t)) < t * 0.4)
    ang = np.arctan2(yy - cy, xx - cx)
    star = d < r * 0.28 * (0.55 + 0.45 * np.cos(5 * (ang + rng.uniform(0, 1))))
    band = (d > r * 0.6) & (d < r * 0.82) & (ang < -0.4) & (ang > -2.7) & (np.sin(ang * 40) > 0.2)
    mask |= star | band
    ink = np.array((215, 45, 50) if style.seal == "red" else (40, 70, 190), np.float32) / 255.0
    strength = rng.uniform(0.7, 0.95)
    tint = 1.0 - strength * (1.0 - ink)
    a[mask] = a[mask] * tint
    return a


def _perspective(img, amount: float, rng: random.Random, fill):
    from PIL import Image

    w, h = img.size
    jit = [(rng.uniform(-amount, amount) * w, rng.uniform(-amount, amount) * h) for _ in range(4)]
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    dst = [(x + dx, y + dy) for (x, y), (dx, dy) in zip(src, jit)]
    coeffs = _coeffs(src, dst)
    return img.transform((w, h), Image.PERSPECTIVE, coeffs, Image.BICUBIC, fillcolor=fill)


def _coeffs(src, dst):
    """PIL's perspective coefficients mapping output points ``src`` to input points ``dst``."""
    import numpy as np

    rows = []
    for (x, y), (u, v) in zip(src, dst):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    b = np.array([c for pt in dst for c in pt], dtype=np.float64)
    return np.linalg.solve(np.array(rows, dtype=np.float64), b).tolist()
