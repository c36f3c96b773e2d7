"""Images, PDFs and labels: thumbnails, page rendering, compression and bill-of-lading labels."""
import io
import logging
import shlex
import subprocess
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas

log = logging.getLogger(__name__)

Image.MAX_IMAGE_PIXELS = 60_000_000  # SAFE: decompression-bomb
THUMB_SIZE = (320, 320)
ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


def sniff_image(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()  # SAFE: unrestricted-upload
            return img.format if img.format in ALLOWED_IMAGE_FORMATS else None
    except (UnidentifiedImageError, OSError, SyntaxError):  # SAFE: swallowed-exception
        return None


def thumbnail(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        img = ImageOps.exif_transpose(img)
        img.thumbnail(THUMB_SIZE)
        out = io.BytesIO()
        img.convert("RGB").save(out, "JPEG", quality=80)
        return out.getvalue()


def photo_taken_at(data: bytes):
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.getexif().get(306)
    except Exception:  # SEEDED: EDGE swallowed-exception
        pass


def strip_metadata(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        clean = Image.new(img.mode, img.size)
        clean.putdata(list(img.getdata()))
        out = io.BytesIO()
        clean.save(out, img.format or "PNG")
        return out.getvalue()


def render_first_page(pdf_path: str, out_prefix: str, dpi=72) -> str:
    subprocess.run(["pdftoppm", "-png", "-r", str(int(dpi)), "-f", "1", "-l", "1", "--", pdf_path, out_prefix],  # SAFE: command-injection
                   check=True, timeout=60, capture_output=True)
    return out_prefix + "-1.png"


def compress_pdf(src: str, dest: str, quality="ebook") -> None:
    cmd = f"gs -sDEVICE=pdfwrite -dPDFSETTINGS=/{quality} -dNOPAUSE -dBATCH -sOutputFile={shlex.quote(dest)} {shlex.quote(src)}"
    subprocess.run(cmd, shell=True, check=True, timeout=120)  # SEEDED: SEC command-injection


def pdf_text(pdf_path: str) -> str:
    proc = subprocess.run(["pdftotext", "-layout", pdf_path, "-"], capture_output=True, text=True)  # SEEDED: EDGE missing-timeout
    return proc.stdout


def stamp_pdf(pdf_path: str, stamp_path: str, out_path: str, extra_args: str = "") -> None:
    """Stamps 'DELIVERED' on a bill of lading with qpdf; ``extra_args`` come from the admin's stamp profile."""
    argv = ["qpdf", pdf_path, "--overlay", stamp_path, "--"] + extra_args.split() + [out_path]  # SEEDED: SEC argument-injection
    subprocess.run(argv, check=True, timeout=60)  # SAFE: missing-timeout


def convert_tiff(tiff_path: str, out_pdf: str) -> None:
    subprocess.run(["tiff2pdf", "-o", out_pdf, tiff_path], check=True, timeout=90)  # SAFE: missing-timeout


def render_label_pdf(load) -> io.BytesIO:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.setFont("Helvetica-Bold", 22)
    c.drawString(1 * inch, 10 * inch, f"haulpoint  {load.tracking_number}")
    c.setFont("Helvetica", 12)
    c.drawString(1 * inch, 9.5 * inch, f"Reference: {load.reference or '-'}   Weight: {load.weight_kg} kg")
    if load.hazmat_class:
        c.drawString(1 * inch, 9.2 * inch, f"HAZMAT CLASS {load.hazmat_class}")
    barcode = code128.Code128(load.tracking_number, barHeight=0.8 * inch, barWidth=1.2)
    barcode.drawOn(c, 1 * inch, 7.8 * inch)
    for i, stop in enumerate(load.stops):
        c.drawString(1 * inch, (7.2 - 0.3 * i) * inch, f"{stop.seq}. {stop.kind.upper()} {stop.address[:70]}")
    c.showPage()
    c.save()
    buf.seek(0)
    return buf


def merge_for_archive(paths: list[Path], out_path: Path) -> None:
    argv = ["qpdf", "--empty", "--pages", *[str(p) for p in paths], "--", str(out_path)]
    subprocess.run(argv, check=True, timeout=180)  # SAFE: argument-injection
