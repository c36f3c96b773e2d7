"""Blind set 4 (written without running vetpy or reading its rules): Pillow."""
import io

from PIL import Image, ImageDraw, ImageFont, ImageOps


def _image() -> Image.Image:
    return Image.new("RGB", (4, 4), "white")


def case_rounded_rect():
    draw = ImageDraw.Draw(_image())
    return draw.rounded_rect((0, 0, 3, 3), radius=1)  # HAL: invented-member; receiver=factory


def case_histogram_bins():
    return _image().convert("L").histogram(bins=16)  # HAL: other-library-idiom; receiver=chain


def case_imageops_fit_crop():
    return ImageOps.fit(_image(), (2, 2), crop=True)  # HAL: invented-keyword; receiver=call


def case_getpixels():
    with Image.new("L", (2, 2)) as im:
        return im.getpixels()  # HAL: invented-member; receiver=with-target


def case_font_get_text_width():
    font = ImageFont.load_default()
    return font.get_text_width("hello")  # HAL: invented-member; receiver=factory


def case_open_dimensions():
    buf = io.BytesIO()
    _image().save(buf, format="PNG")
    buf.seek(0)
    with Image.open(buf) as im:
        return im.dimensions  # HAL: invented-member; receiver=with-target


def case_crop_arity():
    return _image().crop(0, 0, 2, 2)  # HAL: arity; receiver=helper-return
