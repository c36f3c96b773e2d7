"""The cold start of ``vetpy serve`` (issue 17: first diagnostics within a second of start).

What the start-up does to get there must not change what is reported in the end:

- the server answers ``initialize`` before it imports the rule modules (:mod:`vetpy.lsp.preload`),
  and imports them while the client's handshake and the probe of its interpreter run;
- a document's first analysis asks the interpreter about all its unplaced top-level imports (a
  hallucinated package) in one subprocess instead of one each
  (:func:`vetpy.lsp.analysis.prefetch_imports`);
- every publication on the way holds nothing the whole analysis does not (quieter, never louder),
  and the last one of the opened version equals ``vetpy check`` on the same file, over real pygls
  stdio with fresh caches.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

import lsp_support as S
from test_lsp_background_import import as_findings, cli_findings
from test_lsp_trust import fake_venv

from vetpy.document import Document
from vetpy.engine import analyze as engine_analyze
from vetpy.environment import modules
from vetpy.lsp.analysis import prefetch_imports
from vetpy.project import build_context

DEBUG = {"settings": {"logLevel": "debug", "debounceMs": 0}}

TOOLS = (
    "def alpha():\n    return 1\n\n\n"
    "def beta(items):\n    return items\n"
)

# Findings of every kind the cold start treats apart: a standard-library name (the early worker),
# an installed package's attribute (deferred to the background import, published later), missing
# top-level packages (the batched question to the interpreter), SEC and EDGE findings (no
# environment needed), a builtin called in a view (no resolver question), suppressions.
APP = """\
import json
import subprocess

import nosuchpkg_one
import tools
from json import loads_fast
from nosuchpkg_two import helper


def view(request, seen):
    top = max(s for s in seen if s > 1)
    subprocess.run(request.args["cmd"], shell=True)
    text = str(len(seen))
    return eval(input()), loads_fast(text), top, tools.alpah(), tools.beta([]), helper, nosuchpkg_one


def other():
    return json.dumps({}), tools.gamma()  # vetpy: ignore[HAL003]
"""


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'proj'\nversion = '0'\ndependencies = ['tools']\n")
    fake_venv(root, {"tools": TOOLS})
    return root


@pytest.mark.slow  # a server process, an interpreter and the CLI
@pytest.mark.parametrize("profile", ["neovim", "vscode"])
async def test_after_a_cold_start_the_diagnostics_are_the_cli_s(tmp_path: Path, profile: str) -> None:
    root = _project(tmp_path)
    env = S.server_env(tmp_path)  # fresh caches
    expected = await asyncio.to_thread(cli_findings, root, APP, dict(env, VETPY_CACHE_DIR=str(tmp_path / "cli-cache")))
    (root / "app.py").unlink()  # the editor's text only
    codes = sorted(f[0] for f in expected)
    # the file's findings, one or more of each kind (the CLI's own figures, checked here so that
    # the comparison below is not between two empty sets)
    for code in ("HAL001", "HAL002", "HAL003", "SEC003"):
        assert code in codes, expected
    assert not any("gamma" in f[3] for f in expected)  # suppressed
    client = await S.start(profile, root, init_options=DEBUG, env=env)
    try:
        uri = S.open_doc(client, root / "app.py", APP)
        if client.pull:
            final: set[tuple[str, int, int, str]] = set()
            for _ in range(400):
                final = as_findings(await S.diagnostics(client, uri))
                assert final <= expected
                if final == expected:
                    break
                await asyncio.sleep(0.05)
        else:
            await S.wait_for(
                lambda: any(p.uri == uri and as_findings(p.diagnostics) == expected for p in client.published),
                what="the whole set after the background import",
            )
            final = expected
            for published in (p for p in client.published if p.uri == uri):
                assert published.version == 1
                assert as_findings(published.diagnostics) <= expected  # nothing uncertain on the way
        assert final == expected
    finally:
        await S.stop(client)


def test_the_server_answers_before_it_imports_the_rules() -> None:
    """``vetpy serve``'s module imports what the handshake and the project build need; the rule
    modules and the engine come with the start-up imports, after ``initialize`` is answered."""
    code = (
        "import sys, vetpy.lsp.server, vetpy.cli.commands\n"
        "heavy = [m for m in ('vetpy.rules.sec', 'vetpy.engine', 'vetpy.incremental', 'vetpy.lsp.analysis',"
        " 'vetpy.semantic.imports', 'importlib.metadata') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_a_first_analysis_asks_about_its_missing_packages_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three missing top-level packages: one probe run, where the analysis alone ran one each;
    the same findings either way."""
    text = (
        "import nosuch_a\nimport nosuch_b.sub\nfrom nosuch_c import thing\nimport json\nimport tools\n\n\n"
        "def f():\n    a = nosuch_a.load()\n    b = nosuch_b.sub.load()\n    c = thing()\n"
        "    return a, b, c, json.dumps(a), tools.alpha()\n"
    )
    runs: list[list[str]] = []
    real = modules.run_probe

    def counting(python: str, args: list[str], **kwargs: object) -> object:
        runs.append(list(args))
        return real(python, args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(modules, "run_probe", counting)
    found = {}
    for batched in (False, True):
        root = tmp_path / f"p{int(batched)}"
        root.mkdir()
        (root / "pyproject.toml").write_text("[project]\nname = 'p'\nversion = '0'\n")
        fake_venv(root, {"tools": TOOLS})
        monkeypatch.setenv("VETPY_CACHE_DIR", str(root / "cache"))
        ctx = build_context(root).ctx
        doc = Document(path=str(root / "app.py"), text=text)
        runs.clear()
        if batched:
            prefetch_imports(doc, ctx)
            assert len(runs) == 1 and {"nosuch_a", "nosuch_b", "nosuch_c"} <= set(runs[0]), runs
        found[batched] = sorted((f.code, f.line, f.column, f.message.replace(str(root), "ROOT"))
                                for f in engine_analyze(doc, ctx))
        spec_runs = [r for r in runs if r and r[0] == "specs"]
        if batched:
            assert len(spec_runs) == 1, spec_runs  # nothing asked after the batch
        else:
            assert len(spec_runs) >= 2, spec_runs  # one at a time (the reason for the batch)
        if ctx.members is not None:
            ctx.members.close()
    assert found[True] == found[False]
    assert [c for c, *_ in found[True]].count("HAL001") == 3, found[True]
