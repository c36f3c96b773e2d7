"""Blind set: Pillow 13."""
import io
from PIL import Image, ImageDraw, ImageSequence


def png() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    buf.seek(0)
    return buf


def case_with_get_format():
    with Image.open(png()) as im:
        return im.get_format()  # HAL: invented-member; receiver=with-target


def case_multiline_textsize():
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    return draw.multiline_textsize("a\nb")  # HAL: version-drift; receiver=factory


def case_resampling_cubic():
    return Image.Resampling.CUBIC  # HAL: version-drift; receiver=chain


def case_frame_duration():
    im = Image.open(png())
    return [frame.duration for frame in ImageSequence.Iterator(im)]  # HAL: invented-member; receiver=loop
