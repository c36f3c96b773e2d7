"""``extend`` and ``--config`` (issue 18 item 5).

Specification: ``[tool.vetpy] extend = "../pyproject.toml"`` reads that file's ``[tool.vetpy]``
first (a path relative to the file that names it); the keys given here win, key by key; a chain
of extends works, a cycle or a missing file is a configuration error.  ``vetpy check --config
FILE`` reads ``[tool.vetpy]`` from FILE for every project instead of each one's own.
"""

from __future__ import annotations

import pytest

from cli_support import python_args, vetpy
from conftest import write
from vetpy.config import ConfigError, load_config

BAD = "import json\njson.loads_fast('1')\nimport requests\nrequests.get('https://example.com')\n"  # HAL003, EDGE003


def test_extend_inherits_and_the_extending_file_wins(tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[tool.vetpy]\nselect = ['HAL']\nexclude = ['gen']\nnetwork-timeout = 5\n",
        "sub/pyproject.toml": "[tool.vetpy]\nextend = '../pyproject.toml'\nselect = ['EDGE']\n",
    })
    cfg = load_config(tmp_path / "sub" / "pyproject.toml")
    assert cfg.select == ["EDGE"] and cfg.exclude == ["gen"] and cfg.network_timeout == 5
    assert cfg.source == tmp_path / "sub" / "pyproject.toml"


def test_a_chain_of_extends(tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[tool.vetpy]\nignore = ['SEC']\n",
        "a/pyproject.toml": "[tool.vetpy]\nextend = '../pyproject.toml'\nselect = ['HAL']\n",
        "a/b/pyproject.toml": "[tool.vetpy]\nextend = '../pyproject.toml'\n",
    })
    cfg = load_config(tmp_path / "a" / "b" / "pyproject.toml")
    assert cfg.select == ["HAL"] and cfg.ignore == ["SEC"]


@pytest.mark.parametrize(("files", "message"), [
    ({"pyproject.toml": "[tool.vetpy]\nextend = 'pyproject.toml'\n"}, "a cycle"),
    ({"pyproject.toml": "[tool.vetpy]\nextend = 'b/pyproject.toml'\n",
      "b/pyproject.toml": "[tool.vetpy]\nextend = '../pyproject.toml'\n"}, "a cycle"),
    ({"pyproject.toml": "[tool.vetpy]\nextend = 'nope.toml'\n"}, "no such file"),
    ({"pyproject.toml": "[tool.vetpy]\nextend = 3\n"}, "extend must be"),
])
def test_a_broken_extend_is_a_configuration_error(tmp_path, files, message):
    write(tmp_path, files)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path / "pyproject.toml")


def test_a_broken_extend_stops_the_check(tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.vetpy]\nextend = 'nope.toml'\n", "m.py": BAD})
    run = vetpy("check", "m.py", *python_args(), cwd=tmp_path)
    assert run.code == 2 and "extend: " in run.err and "nothing was checked" in run.err


def test_config_replaces_each_projects_own(tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.vetpy]\nselect = ['HAL']\n", "only-edge.toml": "[tool.vetpy]\nselect = ['EDGE']\n",
                     "m.py": BAD})
    run = vetpy("check", "m.py", *python_args(), cwd=tmp_path)
    assert "HAL003" in run.out and "EDGE003" not in run.out
    run = vetpy("check", "m.py", "--config", "only-edge.toml", *python_args(), cwd=tmp_path)
    assert "EDGE003" in run.out and "HAL003" not in run.out


def test_config_that_does_not_exist_is_an_error(tmp_path):
    write(tmp_path, {"m.py": BAD})
    run = vetpy("check", "m.py", "--config", "nope.toml", cwd=tmp_path)
    assert run.code == 2 and "--config nope.toml: no such file" in run.err
