"""First-party imports as Python runs them (issue #16 point 2).

Specification.  A top-level name is the project's own only when it is importable as such from a
source root of the project: its root, its ``src/``, or a folder its ``pyproject.toml`` declares
(setuptools' ``package-dir``/``packages.find.where``, poetry's ``packages`` ``from``, hatch's
wheel ``packages``, pytest's ``pythonpath``), or from the importing script's own folder (and
the folders above it that are not packages).  A package nested in another package
(``app/utils/email/``) is importable only through its parent and hides nothing; a vendored copy of
a library in a git-ignored, hidden or nested folder (``bundled/libs/flask`` after an editor
extension's packaging, a benchmark's work folder) does not make ``import flask`` the project's.
The project-wide facts (attributes the project assigns) are read from the project's own tree,
not from what its ``.gitignore`` leaves out, but all of a project that lies in another
repository's ignored folder.
"""

from __future__ import annotations

from pathlib import Path

from conftest import check_file, context_for
from vetpy.first_party import FirstPartyFacts

MISSING = "vendoredlib_x"  # installed nowhere


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def lines(root: Path, rel: str) -> list[int]:
    return sorted(f.line for f in check_file(root, rel, context_for(root), {"HAL001"}))


def test_a_vendored_copy_in_an_ignored_or_nested_folder_does_not_make_its_name_first_party(tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[project]\nname = 'app'\nversion = '0'\n",
        ".gitignore": "bundled/\n",
        f"bundled/libs/{MISSING}/__init__.py": "",          # git-ignored (an editor extension's package step)
        "vendor/otherlib_x/__init__.py": "",                 # nested, not ignored
        ".work/envs/thirdlib_x.py": "",                      # hidden work folder
        "app/__init__.py": "",
        "app/main.py": f"import {MISSING}\nimport otherlib_x\nimport thirdlib_x\n",
    })
    (tmp_path / ".git").mkdir()
    assert lines(tmp_path, "app/main.py") == [1, 2, 3]


def test_a_nested_package_hides_nothing_outside_its_package(tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[project]\nname = 'app'\nversion = '0'\n",
        "app/__init__.py": "", "app/utils/__init__.py": "", "app/utils/email/__init__.py": "",
        "app/utils/logging/__init__.py": "",
        "app/views.py": "import email.message\nimport logging.handlers\nfrom app.utils import email as own\nimport utils\n",
    })
    # the standard library's email and logging are what run; `utils` is only `app.utils`
    assert lines(tmp_path, "app/views.py") == [4]


def test_a_src_layout_and_the_roots_a_project_declares_are_source_roots(tmp_path):
    write(tmp_path, {
        "pyproject.toml": (
            "[project]\nname = 'app'\nversion = '0'\n"
            "[tool.setuptools.packages.find]\nwhere = ['lib']\n"
            "[tool.pytest.ini_options]\npythonpath = ['tests/support']\n"
        ),
        "src/mypkg/__init__.py": "", "src/mypkg/core.py": "",
        "lib/libpkg/__init__.py": "",
        "tests/support/fixtures_mod.py": "",
        "tests/test_a.py": "import mypkg.core\nimport libpkg\nimport fixtures_mod\nimport mypkg.nothere\n",
    })
    assert lines(tmp_path, "tests/test_a.py") == [4]  # a submodule that is not there is still reported


def test_the_importing_scripts_folder_and_the_project_root_stay_first_party(tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[project]\nname = 'app'\nversion = '0'\n",
        "helpers.py": "", "scripts/common.py": "", "scripts/run.py": "import common\nimport helpers\n",
        "app/__init__.py": "", "app/api/__init__.py": "", "app/api/views.py": "import helpers\nimport common\n",
    })
    assert lines(tmp_path, "scripts/run.py") == []
    assert lines(tmp_path, "app/api/views.py") == [2]  # scripts/ is on sys.path only for its own scripts


def test_the_projects_facts_skip_ignored_hidden_and_vendored_trees(tmp_path):
    write(tmp_path, {
        ".gitignore": "bundled/\n",
        "bundled/libs/flask/app.py": "request.vendored = 1\n",
        ".work/x.py": "request.hidden = 1\n",
        "node_modules/pkg/x.py": "request.node = 1\n",
        "env/pyvenv.cfg": "", "env/lib/x.py": "request.venv = 1\n",
        "app/middleware.py": "request.event = 1\n",
    })
    (tmp_path / ".git").mkdir()
    assert FirstPartyFacts(tmp_path).assigned_attributes == {"event"}


def test_the_facts_of_a_project_inside_another_repositorys_ignored_folder_are_read(tmp_path):
    outer = tmp_path / "outer"
    write(outer, {".gitignore": "work/\n", "work/app/pyproject.toml": "", "work/app/.gitignore": "generated/\n",
                  "work/app/pkg/middleware.py": "request.event = 1\n",
                  "work/app/generated/vendored.py": "request.vendored = 1\n"})
    (outer / ".git").mkdir()
    assert FirstPartyFacts(outer / "work" / "app").assigned_attributes == {"event"}
