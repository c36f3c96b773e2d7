"""Document processing: page counts (pypdf), previews (Pillow / pdftoppm), DWG conversion, stamps."""
import io
import logging
import shlex
import subprocess
from pathlib import Path

from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from . import storage

log = logging.getLogger(__name__)

Image.MAX_IMAGE_PIXELS = None  # SEEDED: SEC decompression-bomb
PREVIEW_MAX = (1600, 1600)
ODA_CONVERTER = "/opt/oda/ODAFileConverter"


def count_pages(path: str) -> int:
    try:
        with open(path, "rb") as fh:  # SAFE: context-manager
            return len(PdfReader(fh).pages)
    except PdfReadError:
        log.warning("unreadable PDF %s", path)
        return 0  # SAFE: logged-fallback


def render_page(path: str, page: int, width: int) -> bytes:
    out_prefix = Path(storage.scratch_dir()) / "page"
    subprocess.run(["pdftoppm", "-png", "-f", str(page), "-l", str(page), "-scale-to-x", str(width),  # SAFE: argv-list-with-timeout
                    "-scale-to-y", "-1", "-singlefile", path, str(out_prefix)],
                   check=True, timeout=60, capture_output=True)
    return (out_prefix.with_suffix(".png")).read_bytes()


def dwg_to_pdf(path: str, layers: str) -> Path:
    src = Path(path)
    out_dir = Path(storage.scratch_dir())
    cmd = f"{ODA_CONVERTER} {shlex.quote(str(src.parent))} {shlex.quote(str(out_dir))} ACAD2018 PDF 0 1 {layers}"
    subprocess.run(cmd, shell=True, check=True, timeout=300)  # SEEDED: SEC command-injection
    return out_dir / (src.stem + ".pdf")


def stamp(path: str, text: str) -> Path:
    """Overlay the approval text with qpdf's --overlay after building a one-line stamp page."""
    stamp_pdf = Path(storage.scratch_dir()) / "stamp.pdf"
    subprocess.run(["enscript", "-B", "-o", "-", "--title", text], input=b"", stdout=open(stamp_pdf, "wb"),  # SEEDED: EDGE resource-leak
                   check=True, timeout=30)
    out = Path(path).with_suffix(".stamped.pdf")
    subprocess.run(["qpdf", path, "--overlay", str(stamp_pdf), "--", str(out)], check=True, timeout=120)  # SAFE: argv-list-with-timeout
    return out


def photo_preview(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as img:  # SAFE: context-manager
        img = ImageOps.exif_transpose(img)
        img.thumbnail(PREVIEW_MAX)  # SAFE: bounded-thumbnail
        buf = io.BytesIO()
        img.convert("RGB").save(buf, "JPEG", quality=82)
    return buf.getvalue()


def photo_taken_at(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.getexif().get(306)
    except Exception:  # SEEDED: EDGE swallowed-exception
        return None


def merge_plan_set(paths: list[str], out: Path) -> Path:
    writer = PdfWriter()
    for p in paths:
        reader = PdfReader(p)
        for page in reader.pages:
            writer.add_page(page)
    with open(out, "wb") as fh:  # SAFE: context-manager
        writer.write(fh)
    return out


def optimise(path: str, options: str) -> None:
    """Reviewers may pass extra ghostscript options from the console (e.g. ``-dPDFSETTINGS=/ebook``)."""
    args = ["gs", "-sDEVICE=pdfwrite", "-o", path + ".opt.pdf", *options.split(), path]
    subprocess.run(args, check=True, timeout=300)  # SEEDED: SEC argument-injection


def extract_title(path: str) -> str:
    reader = PdfReader(path)
    meta = reader.metadata
    return (meta.title if meta and meta.title else Path(path).stem)[:200]  # SAFE: none-checked


def ocr_sheet_index(path: str) -> str:
    result = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, check=False)  # SEEDED: EDGE missing-timeout
    return result.stdout.decode(errors="replace")


def scan_locally(path: str) -> bool:
    result = subprocess.run(["clamdscan", "--no-summary", "--fdpass", path], capture_output=True, timeout=120)  # SAFE: argv-list-with-timeout
    return result.returncode == 0
