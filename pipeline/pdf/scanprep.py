"""A scanned page made fit for recognition: seals removed by colour, paper and light levelled,
rotation taken out, perspective of a page photo undone.

Order matters: colour first (a red or blue seal is the only thing on these pages that is not
black, so the brightest channel of a pixel drops it and keeps the black print under it), then
the background (grey paper, light falling off towards a corner: the page divided by its own
blurred background so that white is white everywhere and one threshold fits the whole page),
then geometry, measured on the ruling lines (long, straight, many: a better level than text).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

__all__ = ["clean_page", "deskew", "drop_colour", "level_background", "page_image", "skew_angle"]


def drop_colour(rgb: Any) -> Any:
    """Greyscale with coloured ink (seals, signatures in blue) turned into paper.

    Per pixel the brightest channel: black print is dark in every channel and stays dark; red
    ink is bright in R, blue ink in B, so a seal vanishes while the print under it survives.
    Where a pixel is clearly coloured (chroma ≥ 60) and not dark in its brightest channel, it is
    set to white outright, since a dense stamp is not quite saturated in its own channel; a dark
    pixel is kept whatever its tint (JPEG smears the seal's colour onto the black rulings it
    crosses, which must not be cut).
    """
    import cv2

    if rgb.ndim == 2:
        return rgb
    r, g, b = cv2.split(rgb[..., :3])
    hi = cv2.max(cv2.max(r, g), b)
    lo = cv2.min(cv2.min(r, g), b)
    hi[(cv2.subtract(hi, lo) >= 60) & (hi >= 130)] = 255
    return hi


def level_background(grey: Any) -> Any:
    """The page divided by its background (a dilation removes the print, a blur smooths it): paper
    tone and uneven light gone, ink kept at its contrast."""
    import cv2
    import numpy as np

    # measured on a quarter-size copy: the background varies slowly, and this is 16× cheaper
    small = cv2.resize(grey, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    k = max(5, (min(small.shape) // 60) | 1)
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2)
    bg = cv2.resize(bg, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, np.maximum(bg, 1), scale=255)


FRAME_IN = 0.25  # inches along each edge of the image that skew_angle does not look at


def _line_mask(grey: Any, dpi: int) -> tuple[Any, Any]:
    """Horizontal pieces of ruling: dark runs of at least 0.3 inch (any tilt up to ~3° leaves
    pieces of this length along a 1–2 pt line)."""
    import cv2
    import numpy as np

    binary = (grey < 160).astype(np.uint8) * 255
    k = max(20, int(dpi * 0.3))
    return cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1))), binary


def skew_angle(grey: Any, dpi: int, max_deg: float = 3.0) -> float:
    """The page's rotation in degrees (counter-clockwise positive), from the horizontal rulings when
    there are enough, otherwise from the text lines: the angle whose row profile is sharpest."""
    import cv2
    import numpy as np

    lines, binary = _line_mask(grey, dpi)
    # the scan's own frame (the scanner lid's shadow, the edge of a page photographed on a desk) is
    # dark and exactly level with the image: measured, it pins the angle at 0 on a page whose
    # content is tilted, so a band along each edge is left out
    m = max(1, int(dpi * FRAME_IN))
    for img in (lines, binary):
        img[:m, :] = 0
        img[-m:, :] = 0
        img[:, :m] = 0
        img[:, -m:] = 0
    src = lines if lines.sum() > 255 * dpi * 4 else binary
    scale = 0.25
    small = cv2.resize(src, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2, h / 2)

    def sharpness(deg: float) -> float:
        m = cv2.getRotationMatrix2D(centre, deg, 1.0)
        rot = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
        prof = rot.sum(axis=1, dtype=np.float64)
        return float((prof**2).sum())

    # 0.25° steps, then 0.025° around the best (a 0.025° error moves a 1500 px ruling by 0.7 px)
    best = max((d / 4 for d in range(int(-max_deg * 4), int(max_deg * 4) + 1)), key=sharpness)
    fine = max((best + d / 40 for d in range(-10, 11)), key=sharpness)
    return -fine  # the rotation that levels the page, negated: the page's own tilt


def deskew(grey: Any, angle_deg: float) -> Any:
    """The page rotated by ``-angle_deg`` about its centre (white fill)."""
    import cv2

    if abs(angle_deg) < 0.05:
        return grey
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle_deg, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _outer_quad(grey: Any, dpi: int) -> Any:
    """The corners of the largest ruled table, when the page is a photo (its rulings converge)."""
    import cv2
    import numpy as np

    binary = (grey < 160).astype(np.uint8) * 255
    k = max(20, int(dpi * 0.3))
    h: Any = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    v: Any = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    grid = cv2.dilate(h | v, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(grid, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    if cv2.contourArea(c) < 0.1 * grey.size:
        return None
    quad = cv2.approxPolyDP(c, 0.02 * cv2.arcLength(c, True), True)
    return quad.reshape(-1, 2).astype(np.float32) if len(quad) == 4 else None


# A deskewed flat scan's frame is square to a pixel or two (the skew is measured to 0.025°: 0.8 px
# over a 1800 px table). A photo's keystone left at 0.8 % (14 px over a 1800 px ruling at 300 dpi,
# seen on a 150 dpi page photo with 1.2 % perspective) already slants each ruling over more rows
# than a line is thick, and the rulings of its ends are lost: straighten anything above 0.3 %.
UNWARP_OFF = 0.003


def unwarp(grey: Any, dpi: int) -> Any:
    """Undo a photo's perspective: the largest table's outer frame made a rectangle (left as it
    is when the frame is already one within UNWARP_OFF of its size — a flat, deskewed scan)."""
    import cv2
    import numpy as np

    quad = _outer_quad(grey, dpi)
    if quad is None:
        return grey
    s, d = quad.sum(axis=1), np.diff(quad, axis=1).ravel()
    tl, br, tr, bl = quad[s.argmin()], quad[s.argmax()], quad[d.argmin()], quad[d.argmax()]
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    off = max(abs(tl[1] - tr[1]), abs(bl[1] - br[1]), abs(tl[0] - bl[0]), abs(tr[0] - br[0]))
    if off < max(width, height) * UNWARP_OFF or width < 100 or height < 100:
        return grey
    dst = np.array([tl, tl + (width, 0), tl + (width, height), tl + (0, height)], np.float32)
    m = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl], np.float32), dst)
    hh, ww = grey.shape
    return cv2.warpPerspective(grey, m, (ww, hh), flags=cv2.INTER_CUBIC, borderValue=255)


def clean_page(image: Any, dpi: int) -> tuple[Any, float]:
    """The page (RGB or grey array) as a levelled, upright greyscale image; and the skew removed."""
    grey = level_background(drop_colour(image))
    angle = skew_angle(grey, dpi)
    grey = deskew(grey, angle)
    grey = unwarp(grey, dpi)
    if not math.isfinite(angle):  # pragma: no cover - defensive
        angle = 0.0
    return grey, angle


@lru_cache(maxsize=2)
def page_image(data: bytes, number: int) -> Any:
    """Page ``number`` rendered at the OCR resolution in colour and cleaned (cached: the page
    pass and the second look at blank cells must crop the same, deskewed image)."""
    from .raster import DPI, render

    image, _angle = clean_page(render(data, number, grayscale=False), DPI)
    image.flags.writeable = False
    return image
