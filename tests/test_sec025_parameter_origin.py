"""SEC025 command-formatting (issues #16, #20): a shell command of unknown origin is reported
only when a part of it is traced (through local assignments) to a parameter of the function that
runs it: what a caller passes.  A program path found on PATH, an imported constant, the object's
own state, a quoted or number-converted parameter are the program's choice, not the caller's
(on real applications: xonsh's `os.system(stty + " sane")`, dstack's
`curl http://localhost:{DSTACK_SHIM_HTTP_PORT}`, a command-not-found helper's configured path)."""

from __future__ import annotations

import textwrap

import pytest
from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["SEC025", "SEC002"])


def lines(src: str, code: str = "SEC025") -> list[int]:
    return [f.line for f in check_source(textwrap.dedent(src), path="ops.py", ctx=CTX) if f.code == code]


@pytest.mark.parametrize("body", [
    'subprocess.run(f"convert {name} out.png", shell=True)',
    'os.system("ping -c 1 " + name)',
    'path = f"/srv/{name}"\n    target = path + "/x"\n    os.system(f"rm -rf {target}")',
    'script = " && ".join(name)\n    subprocess.run(["sh", "-c", f"sudo {script}"])',
    'os.popen("ls {}".format(str(name)))',
])
def test_parameter_in_shell_command_is_reported(body: str) -> None:
    src = f"import os, subprocess\ndef f(name):\n    {body}\n"
    assert lines(src) != []


def test_parameter_in_remote_command_is_reported() -> None:
    src = """
        import paramiko
        def cleanup(client: paramiko.SSHClient, working_dir):
            file_path = f"{working_dir}/info.json"
            client.exec_command(f"sudo rm {file_path}", timeout=10)
    """
    assert lines(src) == [5]


@pytest.mark.parametrize("body", [
    # a program found on PATH
    'stty = shutil.which("stty")\n    os.system(stty + " sane")',
    # an imported constant
    'os.system(f"curl -s http://localhost:{PORT}/health")',
    # the object's own state
    'subprocess.run(f"tar czf {self.archive} .", shell=True)',
    # the parameter quoted, or made a number
    'subprocess.check_output("{0} {1}; exit 0".format(TOOL, shlex.quote(name)), shell=True)',
    'os.system(f"kill -9 {int(name)}")',
])
def test_program_chosen_values_are_not_reported(body: str) -> None:
    src = f"import os, shlex, shutil, subprocess\nfrom config import PORT, TOOL\nclass Job:\n  def f(self, name):\n    {body}\n"
    src = src.replace("\n    ", "\n      ")
    assert lines(src) == []


def test_remote_command_with_constant_port_is_not_reported() -> None:
    src = """
        import paramiko
        from consts import SHIM_PORT
        def health(client: paramiko.SSHClient):
            client.exec_command(f"curl -s http://localhost:{SHIM_PORT}/api/healthcheck", timeout=15)
    """
    assert lines(src) == []


def test_request_input_stays_sec002() -> None:
    src = """
        import os
        from flask import Flask, request
        app = Flask(__name__)
        @app.route("/ping")
        def ping():
            host = request.args["host"]
            os.system("ping -c 1 " + host)
    """
    assert lines(src, "SEC002") == [8]


def test_identifiers_and_numbers_from_parameters_are_not_reported() -> None:
    """A row's identifier read through a parameter, and a parameter annotated as a number, are
    the application's keys and numbers; the row's text columns stay reported."""
    src = """
        import os
        def export(session, report_id: int, port: int, title):
            report = session.get(object, report_id)
            os.system(f"touch /exports/{report.id}.done")
            os.system(f"nc -z localhost {port}")
            os.system(f"echo {title}")
    """
    assert lines(src) == [7]
