"""SEC025 command-formatting and the project's callers (issue #16: precision on real applications).

A helper that runs ``f"sudo rm {path}"`` from its parameter is reported (a caller decides what the
parameter holds), unless every call of it in the project passes a value the program chose: a
constant, a module constant, the result of the project's own function called with such values, the
object's own state.  dstack's provisioning helpers are the real case (``remove_host_info_if_exists(
client, get_dstack_working_dir())``).  Whatever is not proven chosen keeps the finding: a caller's
own parameter, request input, a third-party call's result, ``*args``, no caller at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_file, context_for, write

HELPER = """\
import os
import subprocess


def remove(path):
    os.system(f"sudo rm -rf {path}")


def archive(src, dest="/backup"):
    subprocess.run(f"tar czf {dest}/a.tgz {src}", shell=True)


class Remote:
    def clean(self, client, working_dir):
        client.exec_command(f"sudo rm {working_dir}/info.json", timeout=10)
"""

PATHS = """\
BASE = "/root"


def working_dir(base=None):
    return str(base or BASE) + "/.app"
"""


def sec025(root: Path, rel: str = "app/ops.py", codes: tuple[str, ...] = ("SEC025",)) -> list[int]:
    return sorted(f.line for f in check_file(root, rel, context_for(root)) if f.code in codes)


SHELL = ("SEC025", "SEC002")  # request input traced into the helper is SEC002 (callers_into), else SEC025


def project(tmp_path: Path, caller: str, extra: dict[str, str] | None = None) -> Path:
    files = {"app/__init__.py": "", "app/ops.py": HELPER, "app/paths.py": PATHS,
             "app/jobs.py": "import paramiko\nfrom app import ops\nfrom app.ops import remove, archive, Remote\n"
                            "from app.paths import working_dir, BASE\nCACHE = BASE + '/cache'\n\n\n" + caller}
    files.update(extra or {})
    return write(tmp_path, files)


def test_without_callers_the_parameter_is_the_callers_choice(tmp_path: Path) -> None:
    assert sec025(project(tmp_path, "")) == [6, 10]


@pytest.mark.parametrize("caller", [
    "def run():\n    remove('/tmp/x')\n    archive(CACHE)\n",
    "def run():\n    d = working_dir()\n    remove(d + '/old')\n    archive(src=f'{d}/data', dest=BASE)\n",
    "def run():\n    ops.remove(working_dir('/srv'))\n    ops.archive(str(BASE))\n",
    "class Job:\n    def run(self):\n        remove(self.target)\n        archive(self.target)\n",
])
def test_every_call_passes_what_the_program_chose(tmp_path: Path, caller: str) -> None:
    assert sec025(project(tmp_path, caller)) == []


def test_a_method_called_with_program_values(tmp_path: Path) -> None:
    caller = "def run(client):\n    Remote().clean(client, working_dir())\n"
    root = project(tmp_path, caller + "def more():\n    remove('/a')\n    archive('/b')\n")
    assert sec025(root) == []


@pytest.mark.parametrize("caller", [
    # the caller's own parameter: its caller decides
    "def run(name):\n    remove(name)\n    archive('/b')\n",
    # one call of two passes outside text
    "import os\ndef run():\n    remove('/a')\n    remove(os.environ['TARGET'])\n    archive('/b')\n",
    # request input
    "from flask import request\ndef run():\n    remove(request.args['p'])\n    archive('/b')\n",
    # a third-party call's result, a loop target, a spread
    "import shutil\ndef run():\n    remove(shutil.which('x'))\n    archive('/b')\n",
    "def run(items):\n    for item in items:\n        remove(item)\n    archive('/b')\n",
    "def run(args):\n    remove(*args)\n    archive('/b')\n",
])
def test_any_call_with_outside_text_keeps_the_finding(tmp_path: Path, caller: str) -> None:
    assert 6 in sec025(project(tmp_path, caller), codes=SHELL)


def test_only_the_parameters_reaching_the_command_matter(tmp_path: Path) -> None:
    # archive's `dest` is left at its default and `src` is chosen: silent; remove gets request text
    caller = "from flask import request\ndef run():\n    archive('/data')\n    remove(request.form['p'])\n"
    assert sec025(project(tmp_path, caller), codes=SHELL) == [6]


def test_a_caller_in_the_same_module(tmp_path: Path) -> None:
    helper = HELPER + "\n\ndef nightly():\n    remove('/tmp/cache')\n    archive('/srv/data')\n"
    root = write(tmp_path, {"app/__init__.py": "", "app/ops.py": helper})
    assert sec025(root) == []


def test_a_recursive_call_keeps_the_finding(tmp_path: Path) -> None:
    helper = "import os\n\ndef remove(path):\n    os.system(f'rm {path}')\n    remove(path + '/sub')\n\n\ndef go():\n    remove('/a')\n"
    root = write(tmp_path, {"app/__init__.py": "", "app/ops.py": helper})
    assert sec025(root) == [4]


def test_editing_a_caller_changes_the_answer(tmp_path: Path) -> None:
    root = project(tmp_path, "def run():\n    remove('/a')\n    archive('/b')\n")
    assert sec025(root) == []
    (root / "app" / "jobs.py").write_text((root / "app" / "jobs.py").read_text() + "\ndef more(x):\n    remove(x)\n")
    assert sec025(root) == [6]
