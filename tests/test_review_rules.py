"""Specification tests for the review-checklist SEC rules of issue #20: SEC021 token claims,
SEC022 length without content, SEC023 missing authorization. Lines marked ``# !`` must carry
a finding of the code; every other line must not (the look-alikes a careful reviewer accepts)."""

from __future__ import annotations

import textwrap

import pytest

from vetpy.codes import default_codes
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import check_source
from vetpy.rules.sec import scan

CTX = AnalysisContext.bare(select=["SEC008", "SEC021", "SEC022", "SEC023"])


def flagged(src: str, code: str, ctx: AnalysisContext = CTX) -> list[int]:
    src = textwrap.dedent(src)
    doc = Document("app.py", src)  # walking only the lines with trigger words must not lose findings
    assert {(f.line, f.code) for f in scan(doc)} == {(f.line, f.code) for f in scan(doc, full=True)}
    return sorted({f.line for f in check_source(src, "app.py", ctx) if f.code == code})


def marked(src: str) -> list[int]:
    return [i for i, line in enumerate(textwrap.dedent(src).splitlines(), 1) if line.rstrip().endswith("# !")]


FLASK = """
import jwt
from flask import Flask, request, abort, redirect, render_template_string
app = Flask(__name__)
KEY = "k"
"""

FASTAPI = """
from fastapi import Depends, FastAPI, Security
from fastapi.security import HTTPBearer, OAuth2PasswordBearer, HTTPAuthorizationCredentials
app = FastAPI()
bearer = HTTPBearer()
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
"""

POSITIVE = {
    "SEC021": [
        FLASK + """
def require_token():
    token = request.headers["Authorization"].removeprefix("Bearer ")
    jwt.decode(token, KEY, algorithms=["HS256"])  # !
""",
        FLASK + """
def is_admin(token):
    claims = jwt.decode(token, KEY, algorithms=["HS256"])  # !
    if not claims:
        abort(401)
    return True
""",
        FLASK + """
def other_service(token):
    return jwt.decode(token, KEY, algorithms=["RS256"], options={"verify_aud": False})  # !
""",
        # look-alikes of the audience check below: `audience=None` checks nothing, and python-jose
        # lets a token without an `aud` claim pass whatever `audience=` says
        FLASK + """
def login_none(id_token):
    jwt.decode(id_token, KEY, algorithms=["RS256"], audience=None)  # !
""",
        """
from jose import jwt
def login_jose(id_token, key, client_id):
    jwt.decode(id_token, key, algorithms=["RS256"], audience=client_id)  # !
""",
        """
from authlib.jose import jwt
def read(token, key):
    claims = jwt.decode(token, key)  # !
    return claims["sub"]
""",
        FASTAPI + """
@app.delete("/items/{item_id}")
def delete_item(item_id: int, token: HTTPAuthorizationCredentials = Depends(bearer)):  # !
    return remove(item_id)

@app.post("/items", dependencies=[Depends(oauth2)])  # !
def create_item(name: str):
    return add(name)
""",
    ],
    "SEC022": [
        """
import os
UPLOADS = "/srv/uploads"
def save_upload(name, data):
    if len(name) > 64:
        raise ValueError("too long")
    with open(os.path.join(UPLOADS, name), "wb") as f:  # !
        f.write(data)
""",
        """
from flask import request, redirect
def login_done():
    target = request.args.get("next", "/")
    if len(target) < 200:
        return redirect(target)  # !
""",
        """
import re
def search(pattern, text):
    if len(pattern) > 50:
        raise ValueError
    return re.search(pattern, text)  # !
""",
        """
from pathlib import Path
BASE = Path("/srv")
def store(name, data):
    if len(name) > 64:
        raise ValueError
    (BASE / name).write_bytes(data)  # !
""",
        # FastAPI declares the length on the parameter: Query/Path/Form(max_length=...) without a pattern
        """
import os, re
from typing import Annotated
from fastapi import FastAPI, Form, Path, Query
app = FastAPI()
@app.get("/products/filter")
def filter_products(pattern: str = Query(..., min_length=1, max_length=50)):
    return re.compile(pattern)  # !
@app.get("/files/{name}")
def read_named(name: Annotated[str, Path(max_length=64)]):
    with open(os.path.join("/srv/up", name)) as f:  # !
        return f.read()
@app.post("/notes")
def save_note(title: str = Form(max_length=80), body: str = Form()):
    open(f"/srv/notes/{title}.txt", "w").write(body)  # !
""",
    ],
    "SEC023": [
        """
from flask import Blueprint
from flask_login import login_required
bp = Blueprint("notes", __name__)

@bp.get("/notes")
@login_required
def list_notes(): ...

@bp.get("/notes/<int:i>")
@login_required
def show_note(i): ...

@bp.put("/notes/<int:i>")
@login_required
def update_note(i): ...

@bp.delete("/notes/<int:i>")
def delete_note(i):  # !
    Note.query.filter_by(id=i).delete()
""",
        FASTAPI + """
router = app

@router.get("/a")
def a(user=Depends(get_current_user)): ...

@router.get("/b")
def b(user=Depends(get_current_user)): ...

@router.put("/c")
def c(user=Depends(get_current_user)): ...

@router.post("/d")
def d(item: dict):  # !
    db.add(item)
""",
    ],
}

# SEC008 drawn wider (issue #20 point 5): the enclosing function's name and the name the value
# is returned under say what it is
POSITIVE["SEC008"] = [
    """
import random
def generate_otp():
    code = random.randint(100000, 999999)  # !
    return str(code)
""",
    """
import random, string
def make_reset_token(n=32):
    return "".join(random.choice(string.ascii_letters) for _ in range(n))  # !
""",
    """
import random
class Sessions:
    def new_session_id(self):
        return "%032x" % random.getrandbits(128)  # !
""",
]

NEGATIVE = {
    "SEC021": [
        # claims read, audience checked by the library, the result returned or passed on
        FLASK + """
def require_scope(token, scope):
    claims = jwt.decode(token, KEY, algorithms=["HS256"], audience="orders")
    if scope not in claims.get("scope", "").split():
        abort(403)
    return claims

def current_user(token):
    return load_user(jwt.decode(token, KEY, algorithms=["HS256"])["sub"])

def decode(token):
    payload = jwt.decode(token, KEY, algorithms=["HS256"])
    return payload
""",
        # lemur 1.9: an OpenID Connect id_token verified by PyJWT for this client and then thrown
        # away (the user is read from the userinfo endpoint): `audience=` makes PyJWT require the
        # `aud` claim and match it, the rule's own advice
        FLASK + """
def login(id_token, secret, algo, client_id):
    try:
        jwt.decode(id_token, secret, algorithms=[algo], audience=client_id)
    except jwt.DecodeError:
        abort(401)
    claims = jwt.decode(id_token, secret, algorithms=[algo], audience=client_id)
    if not claims:
        abort(401)
    return True
""",
        # SEC007's case (signature off) is reported there, not here; an expired token read on purpose
        FLASK + """
def peek(token):
    return jwt.decode(token, options={"verify_signature": False})

def refresh(token):
    return jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_exp": False})
""",
        # authlib claims validated
        """
from authlib.jose import jwt
def read(token, key):
    claims = jwt.decode(token, key)
    claims.validate()
    return claims
""",
        # the bearer credential is read and verified
        FASTAPI + """
@app.delete("/items/{item_id}")
def delete_item(item_id: int, creds: HTTPAuthorizationCredentials = Depends(bearer)):
    user = verify(creds.credentials)
    return remove(item_id, user)

def get_current_user(token: str = Depends(oauth2)):
    return decode_token(token)

@app.post("/items")
def create_item(name: str, user=Depends(get_current_user)):
    return add(name, user)
""",
    ],
    "SEC022": [
        # content validated: regex, secure_filename, allow-list, resolved path checked
        """
import os, re
from werkzeug.utils import secure_filename
SAFE = re.compile(r"[a-z0-9_.-]+")
def a(name, data):
    if len(name) > 64 or not SAFE.fullmatch(name):
        raise ValueError
    open(os.path.join("/up", name), "wb").write(data)

def b(name, data):
    if len(name) > 64:
        raise ValueError
    open(os.path.join("/up", secure_filename(name)), "wb").write(data)

def c(kind):
    if len(kind) > 10 or kind not in {"png", "jpg"}:
        raise ValueError
    os.system(f"convert x.{kind} out.png")

def d(name):
    if len(name) > 64 or ".." in name or "/" in name:
        raise ValueError
    return open(os.path.join("/up", name)).read()
""",
        # FastAPI parameters whose content is constrained (pattern=/regex=), validated in the body,
        # only length-limited but reaching no sink, or another library's Query
        """
import os, re
from typing import Annotated
from fastapi import FastAPI, Path, Query
from somewhere import Query as OtherQuery
app = FastAPI()
@app.get("/a")
def a(pattern: str = Query(..., max_length=50, pattern=r"^[a-z]+$")):
    return re.compile(pattern)
@app.get("/b/{name}")
def b(name: Annotated[str, Path(max_length=64, regex=r"^[a-z0-9_.-]+$")]):
    return open(os.path.join("/srv/up", name)).read()
@app.get("/c")
def c(q: str = Query(..., max_length=50)):
    return re.compile(re.escape(q))
@app.get("/d")
def d(q: str = Query(..., max_length=50), limit: int = Query(10, le=100)):
    return {"q": q, "limit": limit}
def e(q=OtherQuery(max_length=5)):
    return re.compile(q)
@app.get("/f")
def f(name: str = Query(..., max_length=64)):
    return open(os.path.join("/srv/up", os.path.basename(name))).read()
""",
        # no length check; a parameterized query; the value alone, not built into a path
        """
import os
def e(name):
    return open(os.path.join("/up", name)).read()

def f(cur, name):
    if len(name) > 32:
        raise ValueError
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))

def g(path):
    if len(path) > 255:
        raise ValueError
    return open(path).read()
""",
        # a formatted shell command or SQL statement: SEC002/SEC025 and SEC001/SEC024 report it, not twice
        """
import os
def convert(filename):
    if not isinstance(filename, str) or len(filename) > 100:
        return None
    os.system(f"convert {filename} out.png")

def find(cur, name):
    if len(name) <= 32:
        cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
""",
        # reassigned (cleaned) before use; a length check on another name
        """
import os
def h(name, other):
    if len(other) > 10:
        raise ValueError
    name = clean(name)
    if len(name) > 64:
        raise ValueError
    return open(os.path.join("/up", name)).read()
""",
    ],
    "SEC008": [
        # named for something about a token, for test data, or neutral; a value not returned
        """
import random
def token_url():
    return "/t/" + str(random.randint(1, 9))

def random_password_for_test():
    return str(random.random())

def pick_color():
    c = random.choice(["red", "blue"])
    return c

def generate_token():
    jitter = random.random()
    time.sleep(jitter)
    return secrets.token_urlsafe()
""",
    ],
    "SEC023": [
        # blueprint-level guard; the write route is public by name; a POST that writes nothing
        """
from flask import Blueprint
from flask_login import login_required
bp = Blueprint("notes", __name__)

@bp.before_request
@login_required
def guard(): ...

@bp.get("/notes")
def list_notes(): ...

@bp.delete("/notes/<int:i>")
def delete_note(i):
    Note.query.filter_by(id=i).delete()
""",
        """
from flask import Blueprint
from flask_login import login_required
bp = Blueprint("acct", __name__)

@bp.get("/a")
@login_required
def a(): ...

@bp.get("/b")
@login_required
def b(): ...

@bp.put("/c")
@login_required
def c(): ...

@bp.post("/login")
def login():
    session.commit()

@bp.post("/search")
def search():
    return run_query()

@bp.delete("/d/<i>")
@policy_check("delete")
def d(i):
    db.delete(i)
""",
        # too few guarded siblings to call it an omission
        """
from flask import Blueprint
from flask_login import login_required
bp = Blueprint("x", __name__)

@bp.get("/a")
@login_required
def a(): ...

@bp.get("/b")
def b(): ...

@bp.delete("/d/<i>")
def d(i):
    db.delete(i)
""",
    ],
}


def _cases(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(code, src) for code, items in table.items() for src in items]


@pytest.mark.parametrize("code,src", _cases(POSITIVE))
def test_flags_marked_lines(code: str, src: str) -> None:
    assert marked(src), "positive case without a # ! marker"
    assert flagged(src, code) == marked(src)


@pytest.mark.parametrize("code,src", _cases(NEGATIVE))
def test_accepts_look_alikes(code: str, src: str) -> None:
    assert flagged(src, code) == []


def test_missing_authorization_is_default_and_file_races_opt_in() -> None:
    # EDGE019 falls short of the precision bar on real applications (realapps.md); SEC023 is on by
    # default since session 27 (silent on sixteen real applications, 8 of 8 seeded found: codes.py)
    codes = default_codes()
    assert "SEC023" in codes and "EDGE019" not in codes
    assert {"SEC021", "SEC022", "EDGE018"} <= codes


def test_missing_authorization_runs_by_default_and_when_selected_by_family() -> None:
    src = POSITIVE["SEC023"][0]
    found = check_source(textwrap.dedent(src), "app.py", AnalysisContext.bare(select=["SEC"]))
    assert [f.line for f in found if f.code == "SEC023"] == marked(src)
    assert [f.line for f in check_source(textwrap.dedent(src), "app.py") if f.code == "SEC023"] == marked(src)
    assert not [f for f in check_source(textwrap.dedent(src), "app.py", AnalysisContext.bare(select=["SEC001"]))
                if f.code == "SEC023"]


def test_missing_authorization_outside_a_web_module_is_found_by_the_gated_walk() -> None:
    """A blueprint imported from a sibling module: no web framework import, so only the lines
    with trigger words are walked; the write route's decorator line is one of them."""
    src = """
from .blueprints import bp
from .auth import login_required

@bp.route("/a")
@login_required
def a(): ...

@bp.route("/b")
@login_required
def b(): ...

@bp.route("/c", methods=["PUT"])
@login_required
def c(): ...

@bp.route("/d/<i>", methods=["DELETE"])
def d(i):  # !
    db.delete(i)
"""
    assert flagged(src, "SEC023") == marked(src)


# -- incremental analysis: a sibling's guard or a thread start elsewhere decides a finding -------

ROUTES = '''\
from flask import Blueprint
from flask_login import login_required
bp = Blueprint("notes", __name__)

@bp.get("/a")
@login_required
def a(): ...

@bp.get("/b")
@login_required
def b(): ...

@bp.put("/c")
@login_required
def c(): ...

@bp.delete("/d/<int:i>")
def d(i):
    db.delete(i)
'''

THREADS = '''\
import threading
HITS = 0

def worker():
    global HITS
    HITS += 1

def other():
    return None

def start():
    threading.Thread(target=worker).start()
'''


@pytest.mark.slow
def test_incremental_edits_of_a_sibling_or_a_thread_start_match_a_whole_analysis(tmp_path) -> None:
    from conftest import context_for
    from test_incremental_reuse import Session

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'r'\nversion = '0'\n\n[tool.vetpy]\nselect = ['SEC023', 'EDGE018']\n")
    ctx = context_for(tmp_path)
    routes = Session(ctx, ROUTES)
    assert [f.code for f in routes.step().findings] == ["SEC023"]
    outcome = routes.replace(ROUTES.split("\n").index("def b(): ...") , "@log_call")  # b loses its guard
    assert "SEC023" not in [f.code for f in outcome.findings]  # d, untouched, is analysed again
    threads = Session(ctx, THREADS)
    assert [f.code for f in threads.step().findings] == ["EDGE018"]
    outcome = threads.replace(THREADS.split("\n").index("def start():") + 2, "    threading.Thread(target=other).start()")
    assert "EDGE018" not in [f.code for f in outcome.findings]
