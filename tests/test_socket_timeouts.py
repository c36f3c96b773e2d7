"""EDGE003 on a raw TCP socket: ``socket.socket()`` connected without ``settimeout`` waits on the
kernel's connect timeout (minutes), then blocks for ever on a peer that never answers. Flagged lines
end with ``# !``; the look-alikes a reviewer accepts stay silent."""

from __future__ import annotations

import textwrap

import pytest

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE003"])


def lines(src: str) -> tuple[list[int], list[int]]:
    src = textwrap.dedent(src)
    found = sorted({f.line for f in check_source(src, path="app.py", ctx=CTX) if f.code == "EDGE003"})
    marked = [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# !")]
    return found, marked


FLAGGED = [
    """
    import socket
    def ping(host, port):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.connect((host, port))  # !
            return True
        except OSError:
            return False
        finally:
            s.close()
    """,
    """
    import socket
    def ping(host, port):
        with socket.socket() as s:
            return s.connect_ex((host, port)) == 0  # !
    """,
    """
    from socket import socket, AF_INET6
    def probe(host):
        conn = socket(AF_INET6)
        conn.connect((host, 25))  # !
        return conn
    """,
]

SILENT = [
    # a timeout set on the socket, before or after
    """
    import socket
    def ping(host, port):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(2)
        s.connect((host, port))
    """,
    # non-blocking (asyncio's sock_connect, select loops)
    """
    import socket
    async def ping(loop, host, port):
        s = socket.socket()
        s.setblocking(False)
        await loop.sock_connect(s, (host, port))
        s.connect((host, port))
    """,
    # UDP: connect only sets the default address (the local-IP trick)
    """
    import socket
    def local_ip():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect(("8.8.8.8", 80))
        return s.getsockname()[0]
    """,
    """
    import socket
    def local_ip():
        s = socket.socket(type=socket.SOCK_DGRAM)
        s.connect(("8.8.8.8", 80))
    """,
    # a Unix socket to a local daemon
    """
    import socket
    def daemon(path):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
    """,
    # a family or type of unknown value
    """
    import socket
    def open_(family, host):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.connect((host, 80))
    """,
    # the module sets a default timeout for every socket
    """
    import socket
    socket.setdefaulttimeout(5)
    def ping(host, port):
        s = socket.socket()
        s.connect((host, port))
    """,
    # the socket is handed on before the connect (the callee may set its timeout)
    """
    import socket
    def ping(host, port, configure):
        s = socket.socket()
        configure(s)
        s.connect((host, port))
    """,
    # the name is bound to something else too
    """
    import socket
    def ping(host, port, other):
        s = socket.socket()
        if other:
            s = other
        s.connect((host, port))
    """,
    # an attribute or a parameter: where it was made is not seen
    """
    import socket
    class C:
        def open(self, host):
            self.sock.connect((host, 80))
    def use(s, host):
        s.connect((host, 80))
    """,
    # the function decides about timeouts itself
    """
    import socket
    def connect(host, timeout=None):
        s = socket.socket()
        if timeout is not None:
            s.settimeout(timeout)
        s.connect((host, 80))
    """,
]


@pytest.mark.parametrize("src", FLAGGED)
def test_flagged(src: str) -> None:
    found, marked = lines(src)
    assert marked and found == marked


@pytest.mark.parametrize("src", SILENT)
def test_silent(src: str) -> None:
    assert lines(src) == ([], [])


def test_message_and_no_fix() -> None:
    src = "import socket\ns = socket.socket()\ns.connect(('h', 1))\n"
    [finding] = [f for f in check_source(src, path="app.py", ctx=CTX) if f.code == "EDGE003"]
    assert "settimeout" in finding.message and not finding.fixes
