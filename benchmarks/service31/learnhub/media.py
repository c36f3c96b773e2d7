"""Avatars and course cover images (Pillow)."""
from __future__ import annotations

import io
import logging

from PIL import Image, ImageOps, UnidentifiedImageError

log = logging.getLogger(__name__)
MAX_SIDE = 1024
MAX_BYTES = 5 * 1024 * 1024

Image.MAX_IMAGE_PIXELS = None  # SEEDED: SEC decompression-bomb


def make_thumbnail(data: bytes, size: int = 256) -> bytes:
    image = Image.open(io.BytesIO(data))
    image = ImageOps.exif_transpose(image)
    image.thumbnail((size, size))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=85)
    return out.getvalue()


def make_cover(data: bytes) -> bytes | None:
    if len(data) > MAX_BYTES:  # SAFE: size-limit
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 40_000_000:  # SAFE: pixel-limit
                return None
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=85)
            return out.getvalue()
    except (UnidentifiedImageError, OSError) as exc:  # SAFE: logged-and-rejected
        log.info("rejected cover image: %s", exc)
        return None


def image_size(data: bytes) -> tuple[int, int]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:  # SEEDED: EDGE swallowed-exception
        return (0, 0)
