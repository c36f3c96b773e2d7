"""Pillow 13: constants and methods removed in Pillow 10, invented keywords."""
import io

from PIL import Image, ImageDraw, ImageFont


def blank() -> Image.Image:
    return Image.new("RGB", (20, 10), "white")


def png_bytes() -> io.BytesIO:
    buf = io.BytesIO()
    blank().save(buf, "PNG")
    buf.seek(0)
    return buf


def case_antialias():
    img = blank()
    return img.resize((10, 5), Image.ANTIALIAS)  # HAL: version-drift; receiver=module


def case_linear():
    img = blank()
    return img.resize((10, 5), Image.LINEAR)  # HAL: version-drift; receiver=module


def case_textsize():
    draw = ImageDraw.Draw(blank())
    return draw.textsize("hello")  # HAL: version-drift; receiver=factory


def case_font_getsize():
    font = ImageFont.load_default()
    return font.getsize("hello")  # HAL: version-drift; receiver=factory


def case_to_numpy():
    img = Image.new("L", (4, 4))
    return img.to_numpy()  # HAL: invented-member; receiver=factory


def case_thumbnail_keep_aspect():
    with Image.open(png_bytes()) as im:
        im.thumbnail((5, 5), keep_aspect=True)  # HAL: invented-keyword; receiver=with-target


def case_get_pixel():
    img = blank()
    return img.get_pixel((0, 0))  # HAL: invented-member; receiver=helper-return


def case_rotate_fill_kw():
    img = blank()
    return img.rotate(45, expand=True, fill="white")  # HAL: invented-keyword; receiver=helper-return


def case_convert_chain_member():
    return blank().convert("L").to_grayscale()  # HAL: invented-member; receiver=chain


def case_image_open_size_call():
    with Image.open(png_bytes()) as im:
        width, height = im.size()  # HAL: invented-member; receiver=with-target
        return width, height


def case_image_new_size_arity():
    return Image.new("RGB", 10, 10, "white")  # HAL: arity; receiver=call
