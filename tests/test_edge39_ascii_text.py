"""EDGE036 ascii-decoded-text: bytes of a file or an upload decoded strictly as ASCII and read as
lines or CSV rows (services 29-33: five authors' importers): the first byte above 127 (a name
with an accent, a euro sign, a UTF-8 BOM) raises ``UnicodeDecodeError`` and the whole import fails.

Spec: flagged where marked ``# !``; the look-alikes a careful reviewer accepts must stay silent:
ASCII by construction (base64, hex), a lenient ``errors=``, another encoding, a handler of the
decoding error around it, a decoded value not read as records (a header, a token).
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE036"])

FLAGGED = """\
import csv
import io
from io import StringIO


def import_employees_csv(raw: bytes) -> list[dict]:
    text = raw.decode("ascii")  # !
    reader = csv.DictReader(io.StringIO(text))
    return [row for row in reader]


def read_gradebook_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(StringIO(data.decode("ascii"))))  # !


def parse_parking_list(data: bytes) -> list[str]:
    out = []
    for line in data.decode("ascii").splitlines():  # !
        out.append(line.strip())
    return out


def rows(upload) -> list[list[str]]:
    return list(csv.reader(upload.read().decode("US-ASCII").splitlines()))  # !


def lines(data: bytes) -> list[str]:
    text = data.decode(encoding="ascii", errors="strict")  # !
    return text.split("\\n")
"""

ACCEPTED = """\
import base64
import binascii
import csv
import hashlib
import io


def token(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hexed(raw: bytes) -> list[str]:
    return binascii.hexlify(raw).decode("ascii").splitlines()


def lenient(data: bytes) -> list[str]:
    return data.decode("ascii", "replace").splitlines()


def ignoring(data: bytes) -> list[str]:
    return data.decode("ascii", errors="ignore").splitlines()


def utf8(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def checked(data: bytes) -> list[str]:
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise ValueError("the file must be plain ASCII") from None
    return text.splitlines()


def checked_broadly(data: bytes) -> list[str]:
    try:
        return data.decode("ascii").splitlines()
    except ValueError:
        return []


def header(data: bytes) -> str:
    return data[:8].decode("ascii")


def words(data: bytes) -> list[str]:
    return data.decode("ascii").split(",")


def rebound(data: bytes) -> list[str]:
    text = data.decode("ascii")
    text = text.strip() if text else ""
    return text


def digest(data: bytes) -> list[str]:
    return hashlib.sha256(data).hexdigest().splitlines()
"""


def _found(src: str) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), "svc/importers.py", CTX) if f.code == "EDGE036"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_ascii_decoded_records_are_flagged() -> None:
    assert _found(FLAGGED) == _marked(FLAGGED)


def test_ascii_by_construction_lenient_or_handled_is_accepted() -> None:
    assert _found(ACCEPTED) == []


def test_the_message_says_what_fails() -> None:
    found = [f for f in check_source(FLAGGED, "svc/importers.py", CTX) if f.code == "EDGE036"]
    assert found and all("UnicodeDecodeError" in f.message for f in found)
