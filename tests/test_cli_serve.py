"""``vetpy serve --stdio`` (issue 18 item 7): what editors' configurations for ruff-like servers pass.

Specification: ``--stdio`` is accepted and means the default transport; it cannot be combined
with ``--tcp``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from vetpy.cli import build_parser


def test_stdio_is_accepted_and_excludes_tcp(capsys):
    args = build_parser().parse_args(["serve", "--stdio"])
    assert args.stdio and args.tcp is None
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["serve", "--stdio", "--tcp", "127.0.0.1:2087"])
    assert info.value.code == 2 and "not allowed with argument" in capsys.readouterr().err


def _message(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read(stream) -> dict:  # noqa: ANN001
    length = 0
    while (line := stream.readline().strip()):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(stream.read(length))


@pytest.mark.slow
def test_serve_stdio_answers_initialize_and_exits_on_exit(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "vetpy", "serve", "--stdio"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        proc.stdin.write(_message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                   "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}}))
        proc.stdin.flush()
        reply = _read(proc.stdout)
        while "id" not in reply:  # notifications (log messages) may come first
            reply = _read(proc.stdout)
        assert reply["id"] == 1 and reply["result"]["serverInfo"]["name"] == "vetpy"
        for payload in ({"jsonrpc": "2.0", "method": "initialized", "params": {}},
                        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
                        {"jsonrpc": "2.0", "method": "exit"}):
            proc.stdin.write(_message(payload))
        proc.stdin.flush()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.slow
def test_log_file_takes_the_servers_log_and_stderr_stays_quiet(tmp_path):
    # --log-file is where the server's and pygls's INFO/DEBUG lines go; they must not also be
    # echoed on stderr (an editor shows stderr as errors), where only warnings belong.
    log = tmp_path / "serve.log"
    messages = b"".join(_message(p) for p in (
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"}))
    done = subprocess.run([sys.executable, "-m", "vetpy", "serve", "--log-file", str(log)], input=messages,
                          capture_output=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0
    assert "Registered" in log.read_text() and "imports done" in log.read_text()
    assert b"Registered" not in done.stderr and b"Starting" not in done.stderr, done.stderr[:500]


def test_the_readme_names_stdio_and_the_schema():
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`--stdio`" in readme and "(vetpy.schema.json)" in readme and (REPO / "vetpy.schema.json").is_file()
