"""Shapes of the seeded services (issue #20) that several authors wrote and vetpy missed.

SEC015 path traversal (services 23, 27, 28): a path joined from request input opened by the path's
own method (``out.open("w")``, ``(ROOT / name).read_text()``), sent by Litestar's
``File(path=...)``, or handed to a function of the module that writes it later
(``asyncio.to_thread(_write, dest, data)``, reported at the hand-over); a containment check
*after* the file was written (``dest.relative_to(base)`` computing a key) is no check.  A helper
handed over runs with the arguments that follow it, as a direct call would (SEC016 in service28).
Look-alikes: a checked path, a check before the sink, a helper that checks for itself, ``open``
of a zip archive or of an image, the application's own URL."""

from __future__ import annotations

from tests.test_security import lines

FASTAPI = """\
import asyncio
import zipfile
from pathlib import Path

from fastapi import APIRouter, BackgroundTasks, File, UploadFile
from PIL import Image

router = APIRouter()
ROOT = Path("/srv/files")


def _write(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)


def _write_checked(dest: Path, data: bytes) -> None:
    if not dest.resolve().is_relative_to(ROOT):
        raise ValueError(dest)
    dest.write_bytes(data)


def _log(line: str) -> None:
    print(line)
"""


def test_path_open_of_a_joined_path() -> None:
    src = FASTAPI + """
@router.post("/exports")
def create_export(filename: str = "export", fmt: str = "csv"):
    out = ROOT / f"{filename}.{fmt}"
    with out.open("w") as fh:
        fh.write("x")


@router.delete("/exports/{name}")
def delete_export(name: str):
    (ROOT / name).unlink()
"""
    assert lines(src, "SEC015") == [29, 35]


def test_path_open_look_alikes() -> None:
    src = FASTAPI + """
@router.post("/exports")
def create_export(filename: str = "export"):
    out = (ROOT / f"{filename}.csv").resolve()
    if not out.is_relative_to(ROOT):
        raise ValueError(filename)
    with out.open("w") as fh:
        fh.write("x")


@router.post("/archive")
async def read_archive(name: str, file: UploadFile = File(...)):
    with zipfile.ZipFile(file.file) as zf, zf.open(name) as member:
        return member.read(100)


@router.post("/thumb")
async def thumb(file: UploadFile = File(...)):
    with Image.open(file.file) as img:
        return img.size
"""
    assert lines(src, "SEC015") == []


def test_handed_to_a_writer_of_the_module() -> None:
    src = FASTAPI + """
@router.post("/maps/{venue_id}")
async def upload_map(venue_id: int, file: UploadFile = File(...)):
    data = await file.read()
    dest = ROOT / str(venue_id) / file.filename
    await asyncio.to_thread(_write, dest, data)
    key = str(dest.relative_to(ROOT))
    return {"stored": key}


@router.post("/later/{name}")
async def later(name: str, tasks: BackgroundTasks, file: UploadFile = File(...)):
    tasks.add_task(_write, ROOT / name, await file.read())
"""
    assert lines(src, "SEC015") == [30, 37]


def test_handed_over_look_alikes() -> None:
    src = FASTAPI + """
@router.post("/maps/{venue_id}")
async def upload_map(venue_id: int, name: str, file: UploadFile = File(...)):
    base = (ROOT / str(venue_id)).resolve()
    dest = (base / name).resolve()
    if not dest.is_relative_to(base):
        raise ValueError(name)
    await asyncio.to_thread(_write, dest, await file.read())


@router.post("/checked/{name}")
async def checked(name: str, file: UploadFile = File(...)):
    await asyncio.to_thread(_write_checked, ROOT / name, await file.read())


@router.post("/log/{name}")
async def log(name: str):
    await asyncio.to_thread(_log, name)


@router.post("/fixed")
async def fixed(file: UploadFile = File(...)):
    await asyncio.to_thread(_write, ROOT / "upload.bin", await file.read())
"""
    assert lines(src, "SEC015") == []


def test_litestar_file_response() -> None:
    src = """\
from pathlib import Path

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.response import File

LABELS = Path("/srv/labels")


@get("/labels/{name:str}")
async def download(name: str) -> File:
    return File(path=LABELS / name, filename=name)


@get("/labels/checked/{name:str}")
async def download_checked(name: str) -> File:
    path = (LABELS / name).resolve()
    if not path.is_relative_to(LABELS):
        raise NotFoundException()
    return File(path=path, filename=path.name)


@get("/labels/today")
async def today() -> File:
    return File(path=LABELS / "today.pdf", filename="today.pdf")
"""
    assert lines(src, "SEC015") == [12]


def test_helper_handed_over_is_followed_like_a_call() -> None:
    """``asyncio.to_thread(_download, body.url)`` runs ``_download(body.url)``: the helper's request
    goes where the client chose (service28), as it would for a direct call; a helper that checks the
    host, or a hand-over of the application's own URL, is not reported."""
    src = """\
import asyncio
from urllib.parse import urlparse

import requests
from fastapi import APIRouter

router = APIRouter()
ALLOWED = {"img.example.com"}
ORIGIN = "https://img.example.com/logo.png"


def _download(url: str) -> bytes:
    return requests.get(url, timeout=10).content


def _download_checked(url: str) -> bytes:
    if urlparse(url).hostname not in ALLOWED:
        raise ValueError(url)
    return requests.get(url, timeout=10).content


@router.post("/poster")
async def poster(image_url: str):
    return len(await asyncio.to_thread(_download, image_url))


@router.post("/poster-checked")
async def poster_checked(image_url: str):
    return len(await asyncio.to_thread(_download_checked, image_url))
"""
    assert lines(src, "SEC016") == [13]
    without = src.replace("return len(await asyncio.to_thread(_download, image_url))",
                          "return len(await asyncio.to_thread(_download, ORIGIN))")
    assert lines(without, "SEC016") == []


def test_a_writer_only_handed_over_is_reported_at_the_hand_over_only() -> None:
    src = FASTAPI + """
@router.post("/maps/{name}")
async def upload_map(name: str, file: UploadFile = File(...)):
    await asyncio.to_thread(_write, ROOT / name, await file.read())
"""
    assert lines(src, "SEC015") == [28]
    direct = src.replace("await asyncio.to_thread(_write, ROOT / name, await file.read())", "_write(ROOT / name, await file.read())")
    assert lines(direct, "SEC015") == [14]  # a direct call: reported at the helper's sink, naming the caller


def test_csv_rows_are_judged_by_the_module_own_neutraliser() -> None:
    """SEC040 (services 25, 26, 27, 28): reported only where the module neutralises formulas itself."""
    with_neutraliser = """\
import csv
import io


def _cell(value):
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def export(expenses):
    buf = io.StringIO()
    writer = csv.writer(buf)
    for e in expenses:
        writer.writerow([e.merchant, e.note])
    return buf.getvalue()
"""
    assert lines(with_neutraliser, "SEC040") == [14]
    without = with_neutraliser.replace('"\'" + text if text[:1] in ("=", "+", "-", "@") else text', "text")
    assert lines(without, "SEC040") == []  # no convention in the module: an export of plain data
    measures = with_neutraliser.replace("writer.writerow([e.merchant, e.note])",
                                        'writer.writerow([_cell(e.merchant), e.km, row["weight_kg"], e.started_at, e.duration])')
    assert lines(measures, "SEC040") == []  # distances, weights, times: numbers, not text a formula hides in
