"""Issue 16 point 2, imports as they run: the module of an optional feature.

Specification, from the noise left on the real applications (benchmarks/realapps.md, N7): a
project module that the project imports only inside ``try: ... except ImportError:`` (or only
when the user switches the feature on through an environment variable), directly or through
other such modules, is an optional feature: its own imports of what is not installed fail into
that handler, as the authors intend (privacyIDEA's generated gRPC modules, xonsh's opt-in parser).
Nothing proves a module optional that the project imports unguarded anywhere, or that nothing in
the project imports (an entry point, a new file): those are still reported.
"""

from __future__ import annotations

import sys

import pytest

from conftest import check_file, context_for, write
from test_open_world import django, reported, run_in, silent  # noqa: F401  (the fixture and helpers)

PYPROJECT = "[project]\nname = 'app'\nversion = '0'\n"


def hal(root, rel):
    found = check_file(root, rel, context_for(root), {"HAL"})
    return [(f.code, f.line) for f in found]


def test_a_module_imported_only_inside_try_except_importerror(project):
    root = project({
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "",
        "app/connector.py": "try:\n    from app.stubs_grpc import Stub\nexcept ImportError:\n    Stub = None\n",
        # generated: imported by the guarded module above and by the guarded one through it
        "app/stubs_grpc.py": "import grpc_missing_mod\nimport app.stubs_pb2 as pb2\n",
        "app/stubs_pb2.py": "from protobuf_missing_mod.internal import wrapper\n",
    })
    assert hal(root, "app/stubs_grpc.py") == []
    assert hal(root, "app/stubs_pb2.py") == []  # through stubs_grpc, itself imported only guarded


def test_a_module_imported_only_behind_an_environment_switch(project):
    root = project({
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "",
        "app/parser.py": "import os\n\ndef parser():\n    if os.environ.get('APP_FAST_PARSER'):\n"
                         "        from app.fast import Parser\n    else:\n        from app.slow import Parser\n"
                         "    return Parser\n",
        "app/fast.py": "from fastparser_missing_mod import Parser\n",
        "app/slow.py": "from slowparser_missing_mod import Parser\n",
    })
    assert hal(root, "app/fast.py") == []
    # the `else:` branch is what runs by default: not optional
    assert hal(root, "app/slow.py") == [("HAL001", 1)]


def test_look_alikes_an_unguarded_importer_or_no_importer_at_all_prove_nothing(project):
    root = project({
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "",
        "app/a.py": "try:\n    import app.feature\nexcept ImportError:\n    pass\n",
        "app/b.py": "from app import feature\n",  # unguarded elsewhere: the feature is required
        "app/feature.py": "import feature_missing_mod\n",
        "app/lonely.py": "import lonely_missing_mod\n",  # nothing imports it
        # caught, but not as an ImportError
        "app/c.py": "try:\n    import app.other\nexcept KeyError:\n    pass\n",
        "app/other.py": "import other_missing_mod\n",
        # only a type checker imports it
        "app/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.typed\n",
        "app/typed.py": "import typed_missing_mod\n",
    })
    assert hal(root, "app/feature.py") == [("HAL001", 1)]
    assert hal(root, "app/lonely.py") == [("HAL001", 1)]
    assert hal(root, "app/other.py") == [("HAL001", 1)]
    assert hal(root, "app/typed.py") == [("HAL001", 1)]


def test_an_optional_module_still_gets_its_project_imports_checked(project):
    # the guard forgives what may be missing from the environment, not a broken project import
    root = project({
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "",
        "app/a.py": "try:\n    import app.feature\nexcept ImportError:\n    pass\n",
        "app/feature.py": "from . import helperz\nimport feature_missing_mod\nimport app.helperz\n",
        "app/helpers.py": "",
    })
    assert hal(root, "app/feature.py") == [("HAL002", 1), ("HAL001", 3)]


def test_a_relative_guarded_import_and_an_import_cycle(project):
    root = project({
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "",
        "app/plugins/__init__.py": "try:\n    from . import mqtt\nexcept ImportError:\n    mqtt = None\n",
        "app/plugins/mqtt.py": "import paho_missing_mod\nfrom app.plugins import mqtt_util\n",
        "app/plugins/mqtt_util.py": "from app.plugins import mqtt\nimport certifi_missing_mod\n",
    })
    assert hal(root, "app/plugins/mqtt.py") == []
    assert hal(root, "app/plugins/mqtt_util.py") == []


PLUGINS = {
    "pyproject.toml": PYPROJECT,
    "app/__init__.py": "",
    "app/loader.py": "import os\nfrom importlib import import_module\n\n"
                     "def load(names):\n    return [import_module('app.exports.' + n).Export for n in names]\n",
    "app/exports/__init__.py": "",
    "app/exports/base.py": "class Base:\n    pass\n",
    "app/exports/couch/__init__.py": "import couch_missing_mod\nfrom app.exports.base import Base\n\n\nclass Export(Base):\n    pass\n",
    "app/exports/mqtt/__init__.py": "import certifi_missing_mod\n\n\nclass Export:\n    pass\n",
    "app/exports/csvout.py": "import csv\n\n\nclass Export:\n    pass\n",
}


def test_a_plugin_that_the_project_loads_by_a_computed_name(project):
    """N7 (glances' export plugins): modules of one folder that each define the same top-level
    class, that no module of the project imports by name, in a project that imports modules by
    computed names (``import_module("app.exports." + name)``): plugins, loaded when the user asks
    for one; their imports of what is not installed are optional."""
    root = project(PLUGINS)
    assert hal(root, "app/exports/couch/__init__.py") == []
    assert hal(root, "app/exports/mqtt/__init__.py") == []


def test_look_alikes_of_plugins_are_still_reported(tmp_path):
    # no import by a computed name: nothing loads them by name
    root = write(tmp_path / "constant", {**PLUGINS, "app/loader.py": "from importlib import import_module\n\n"
                    "def load():\n    return import_module('app.exports.csvout').Export\n"})
    assert hal(root, "app/exports/couch/__init__.py") == [("HAL001", 1)]
    # imported by name, unguarded, somewhere in the project: required
    root = write(tmp_path / "by_name", {**PLUGINS, "app/main.py": "from app.exports.couch import Export\n"})
    assert hal(root, "app/exports/couch/__init__.py") == [("HAL001", 1)]
    # a class that no sibling shares, or only one sibling: no family of plugins
    root = write(tmp_path / "families", {**PLUGINS, "app/tools/__init__.py": "", "app/tools/lonely.py": "import lonely_missing_mod\n\n\nclass Lonely:\n    pass\n",
                    "app/pair/__init__.py": "", "app/pair/a.py": "import a_missing_mod\n\n\nclass Backend:\n    pass\n",
                    "app/pair/b.py": "class Backend:\n    pass\n"})
    assert hal(root, "app/tools/lonely.py") == [("HAL001", 1)]
    assert hal(root, "app/pair/a.py") == [("HAL001", 1)]


# -- N9: branches for another release of a library or of the interpreter -------------------------


def test_a_branch_for_another_library_release_is_not_judged(project):
    root = project({"app.py": """
from importlib.util import find_spec
from typing import TYPE_CHECKING
import platform

from packaging.version import Version

anndata_version = "0.12.1"
PYTHON_VERSION_INFO = (3, 11, 0)

if Version(anndata_version) >= Version("0.10.0"):
    from json import JSONDecoder as Decoder
else:
    from json import OldDecoderGone as Decoder

if find_spec("zappy_missing_mod") or TYPE_CHECKING:
    from zappy_missing_mod.base import ZappyArray


def distro():
    if PYTHON_VERSION_INFO < (3, 6, 6):
        return platform.linux_distribution()[0]
    return "x"
"""})
    assert hal(root, "app.py") == []


def test_look_alikes_of_version_branches_are_still_judged(project):
    root = project({"app.py": """
import platform
import sys
from importlib.util import find_spec
from typing import TYPE_CHECKING

VERSION_NAME = "x"
if VERSION_NAME == "y":  # a comparison with a word, not with a release
    from json import GoneDecoder
if sys.version_info >= (3, 8):  # evaluated for the target: this branch runs
    platform.linux_distribution()
if find_spec("json") and TYPE_CHECKING:
    pass
if find_spec("zappy_missing_mod") or TYPE_CHECKING:
    pass
else:
    import other_missing_mod
import third_missing_mod
"""})
    assert hal(root, "app.py") == [("HAL002", 8), ("HAL003", 10), ("HAL001", 16), ("HAL001", 17)]


def test_a_branch_on_a_part_of_a_library_release_is_not_judged(project):
    """calibre-web 0.6.27: ``version = metadata("flask")["Version"]``, then
    ``if int(version.split('.')[0]) < 2: send_file(..., attachment_filename=...)`` (the keyword
    Flask 2.2 removed): the major number of a release compared with an integer is a version test
    too, as are ``flask_version[0] < 2`` and ``Version(v).major >= 2``."""
    root = project({"app.py": """
from importlib.metadata import metadata

from packaging.version import Version

import json

version = metadata("flask")["Version"]


def dump(data):
    if int(version.split('.')[0]) < 2:
        return json.dumps(data, encoding="utf-8")
    return json.dumps(data)


def load(text, lib_version):
    if lib_version[0] >= 3:
        return json.loads(text, encoding="utf-8")
    if Version(lib_version).major < 2:
        return json.OldDecoderGone().decode(text)
    return json.loads(text)
"""})
    assert hal(root, "app.py") == []


def test_look_alikes_integers_that_are_not_a_release_part_are_still_judged(project):
    root = project({"app.py": """
import json


def load(text, versions, document):
    if len(versions) > 1:  # how many, not which release
        json.OldDecoderGone()
    if document["schema"] < 2:  # no version named
        json.loads(text, encoding="utf-8")
    if int(text) < 2:
        json.GoneToo()
"""})
    assert hal(root, "app.py") == [("HAL003", 6), ("HAL004", 8), ("HAL003", 10)]


# -- N5: what a library class reads on self is part of its contract ------------------------------

FORMSET = """
    from django import forms


    class PositionFormset(forms.BaseFormSet):
        @property
        def empty_form(self):
            return self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"))
"""


@pytest.mark.slow  # a pinned virtual environment with the real package
def test_an_attribute_the_library_base_class_reads_on_self(django):
    # the control: BaseFormSet never assigns `form`, formset_factory() sets it on the class it makes
    assert run_in(django, """
        import django
        from django.conf import settings
        settings.configure()
        django.setup()
        from django import forms
        from django.forms.formsets import BaseFormSet
        made = forms.formset_factory(forms.Form, formset=BaseFormSet)
        print(hasattr(BaseFormSet, "form"), made.form is forms.Form)
    """) == "False True"
    silent(django, FORMSET)
    # a name no code of the class reads or assigns is still reported
    reported(django, FORMSET.replace("self.form(", "self.forms_class("), [("HAL003", "forms_class")])


# -- N8: a module the file itself tries under `except ImportError` --------------------------------


def test_a_module_the_file_tries_under_except_importerror_is_optional_everywhere_in_it(project):
    root = project({"app.py": """
from pypairs_missing_mod.datasets import leng15


def sandbag(data):
    _check_import()
    from pypairs_missing_mod import settings
    from pypairs_missing_mod.pairs import sandbag
    return sandbag(data, settings)


def _check_import():
    try:
        import pypairs_missing_mod
    except ImportError as e:
        raise ImportError("You need to install the package `pypairs`.") from e
"""})
    assert hal(root, "app.py") == []


def test_look_alikes_another_module_or_another_error_are_still_reported(project):
    root = project({"app.py": """
from pypairs_missing_mod import settings
from other_missing_mod import thing


def _check_import():
    try:
        import pypairs_missing_mod
    except ImportError:
        raise
    try:
        import other_missing_mod
    except KeyError:
        pass
"""})
    # `other_missing_mod` is tried under `except KeyError`: its absence is not anticipated
    assert hal(root, "app.py") == [("HAL001", 2)]


# -- N17: module attributes that the module's own functions create --------------------------------


def test_module_attributes_the_module_writes_onto_itself(project):
    # the control: curses' initscr() setattr()s every ACS_* constant onto curses, start_color()
    # assigns curses.COLORS; neither exists before
    import curses

    assert not hasattr(curses, "ACS_HLINE") and not hasattr(curses, "COLORS")
    root = project({"app.py": """
import curses
import json


def draw(stdscr):
    curses.start_color()
    if curses.COLORS > 8:
        stdscr.hline(0, 0, curses.ACS_HLINE, 10)
    return json.COLORS
"""})
    # json's code writes nothing onto json: still reported
    assert hal(root, "app.py") == [("HAL003", 9)]


# -- N10: a project's own platform flag, also in a conditional expression ------------------------


def test_a_platform_flag_of_the_project_in_a_conditional_expression(project):
    root = project({"app.py": """
import signal
import sys

ON_WINDOWS = sys.platform == "win32"


class Platform:
    ON_WINDOWS = ON_WINDOWS


xp = Platform()


def interrupt(proc, signum):
    proc.send_signal(signal.CTRL_C_EVENT if xp.ON_WINDOWS else signum)
    if ON_WINDOWS:
        return signal.CTRL_BREAK_EVENT
    return signal.CTRL_C_EVENT if sys.platform == "linux" else signum
"""})
    # the last line: evaluated for the (Linux) target, the branch that runs is the missing one
    assert hal(root, "app.py") == ([("HAL003", 18)] if sys.platform.startswith("linux") else [])


def test_a_lower_case_platform_flag_imported_from_the_projects_compat_module(project):
    # httpie 3.2: `is_windows = 'win32' in str(sys.platform).lower()` in compat.py, and
    # `if not is_windows: ... else: import colorama.initialise` (colorama: Windows only)
    root = project({
        "compat.py": "import sys\n\nis_windows = 'win32' in str(sys.platform).lower()\n",
        "app.py": """
import signal

from compat import is_windows


def colours(stdout):
    if not is_windows:
        return stdout
    else:
        import colorama.initialise
        return colorama.initialise.wrap_stream(stdout, None, None, True, True)


def interrupt(proc, signum, windows, is_window_open):
    proc.send_signal(signal.CTRL_C_EVENT if is_windows else signum)
    proc.send_signal(signal.CTRL_BREAK_EVENT if windows else signum)
    if is_window_open:
        return signal.CTRL_BREAK_EVENT
"""})
    # `windows` and `is_window_open` are data, not platform flags: still judged
    found = hal(root, "app.py")
    assert found == ([("HAL003", 16), ("HAL003", 18)] if sys.platform.startswith("linux") else found)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="itertools.batched is new in 3.12: the target must lack it")
def test_a_module_level_name_bound_to_a_version_check_is_that_check(project):
    # django-debug-toolbar 8: `django_has_tasks_support = django.VERSION >= (6, 0)`, then
    # `if django_has_tasks_support: from django.tasks import task` (Django 5.2 installed)
    root = project({"app.py": """
import itertools
import sys

HAS_BATCHED = sys.version_info >= (3, 12)
TWICE = sys.version_info >= (3, 12)
TWICE = False

if HAS_BATCHED:
    from itertools import batched
else:
    from itertools import batchedd


def chunks(xs):
    if not HAS_BATCHED:
        return itertools.islice(xs, 2)
    return itertools.batchedd(xs, 2)  # after an exit taken on 3.11: runs on 3.12 only


def pairs(xs):
    return itertools.batched(xs, 2) if HAS_BATCHED else itertools.batchedd(xs)


if TWICE:
    from itertools import pairwisee
"""})
    # evaluated for the 3.11 target: the `else:` and the false branch of the conditional run
    # there (reported); the 3.12 branches do not, nor the code after an exit taken on 3.11; a
    # name bound twice is no check
    assert hal(root, "app.py") == [("HAL002", 11), ("HAL003", 21), ("HAL002", 25)]


def test_a_conditional_expression_on_something_else_is_still_judged(project):
    root = project({"app.py": """
import signal


def interrupt(proc, signum, windows):
    proc.send_signal(signal.CTRL_C_EVENT if windows else signum)
"""})
    assert hal(root, "app.py") == [("HAL003", 5)]


# -- N4: a decorator that writes into its target's module ----------------------------------------

REGISTRY = '''
import sys


class Hierarkey:
    def add(self, **options):
        def wrap(cls):
            store = type(cls.__name__ + "_SettingsStore", (), {"__module__": cls.__module__})
            setattr(sys.modules[cls.__module__], store.__name__, store)
            return cls
        return wrap
'''
PLAIN = '''
class Registry:
    def add(self, **options):
        def wrap(cls):
            return cls
        return wrap
'''


def test_names_a_decorator_writes_into_the_decorated_classs_module(project):
    root = project({
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "",
        "app/hierarkey.py": REGISTRY,
        "app/plain.py": PLAIN,
        "app/settings.py": "from app.hierarkey import Hierarkey\nfrom app.plain import Registry\n\n"
                           "settings_hierarkey = Hierarkey()\nregistry = Registry()\n",
        "app/event.py": "from app.settings import settings_hierarkey\n\n\n"
                        "@settings_hierarkey.add(parent_field='organizer')\nclass Event:\n    pass\n",
        "app/item.py": "from app.settings import registry\n\n\n@registry.add()\nclass Item:\n    pass\n",
        "app/models.py": "from app.event import Event, Event_SettingsStore\nfrom app.item import Item, Item_SettingsStore\n",
    })
    # the control: running it defines Event_SettingsStore in app.event, and nothing in app.item
    import subprocess
    import sys as _sys
    run = subprocess.run([_sys.executable, "-c", "import app.event, app.item; print(hasattr(app.event, "
                          "'Event_SettingsStore'), hasattr(app.item, 'Item_SettingsStore'))"],
                         cwd=root, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "True False"
    assert hal(root, "app/models.py") == [("HAL002", 2)]


def test_an_anticipated_module_that_is_installed_still_gets_its_submodules_checked(project):
    # the file expects `json` may be missing; it is not, and `json.terminal` never existed
    root = project({"app.py": """
try:
    import json
except ImportError:
    json = None

from json.terminal import win32_output
"""})
    assert hal(root, "app.py") == [("HAL001", 6)]


def test_a_platform_test_of_the_project_named_in_camel_case_or_compared_with_a_platform(project):
    # twisted 26: `if platform.isWindows(): from twisted.internet._win32stdio import StandardIO`
    # (its `os.O_BINARY`: Windows only), `platformType = platform.getType()` then
    # `elif platformType == "win32": from twisted.internet._dumbwin32proc import Process`
    root = project({
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "",
        "app/runtime.py": "import os\n\nclass Platform:\n    def isWindows(self):\n        return os.name == 'nt'\n\n"
                          "    def isWindowed(self):\n        return False\n\nplatform = Platform()\n"
                          "platformType = 'win32' if platform.isWindows() else 'posix'\nservice = 'posix'\n",
        "app/stdio.py": "from app.runtime import platform\n\nif platform.isWindows():\n"
                        "    from app import _win32stdio\nelse:\n    from app import _posixstdio\n",
        "app/spawn.py": "from app.runtime import platformType\n\ndef spawn():\n    if platformType == 'win32':\n"
                        "        from app import _winproc\n        return _winproc\n",
        "app/looks.py": "from app.runtime import platform, service\n\nif platform.isWindowed():\n"
                        "    from app import _windowed\nif service == 'win32':\n    from app import _service\n",
        "app/_win32stdio.py": "import os\n\nMODE = os.O_BINARY\n",
        "app/_winproc.py": "import os\n\nMODE = os.O_BINARY\n",
        "app/_posixstdio.py": "import os\n\nMODE = os.O_BINARYY\n",
        "app/_windowed.py": "import os\n\nMODE = os.O_BINARY\n",
        "app/_service.py": "import os\n\nMODE = os.O_BINARY\n",
    })
    if not sys.platform.startswith("linux"):
        return
    assert hal(root, "app/_win32stdio.py") == []
    assert hal(root, "app/_winproc.py") == []
    # a test that cannot be evaluated leaves both branches unjudged (as `if ON_WINDOWS:` does)
    assert hal(root, "app/_posixstdio.py") == []
    # `isWindowed()` names no platform; `service` is not named for one: judged
    assert hal(root, "app/_windowed.py") == [("HAL003", 3)]
    assert hal(root, "app/_service.py") == [("HAL003", 3)]


def test_a_module_imported_only_under_type_checking_may_import_names_of_the_stubs(project):
    # Pillow 13: `PIL/_typing.py` does `from numbers import _IntegralLike as IntegralLike` (a
    # Protocol of typeshed's numbers.pyi, absent at run time), and every module of PIL imports it
    # under `if TYPE_CHECKING:` only (`_imagingcms.pyi`, a stub, at its top level); a name the stubs lack is still reported there, and a name
    # of the stubs is reported in a module that something imports at run time, or nothing imports
    stub_only = "from numbers import _IntegralLike as IntegralLike\nfrom numbers import _IntegralLikee\n"
    root = project({
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
                           "from app import _runtime\n\nif TYPE_CHECKING:\n    from app._typing import IntegralLike\n"
                           "    from app._runtime import X\n",
        "app/_typing.py": stub_only + "from app import _through\n",
        "app/_imagingcms.pyi": "from app._typing import IntegralLike\n",  # a stub's imports never run
        "app/_through.py": stub_only,
        "app/_runtime.py": stub_only,
        "app/_nobody.py": stub_only,
    })
    assert hal(root, "app/_typing.py") == [("HAL002", 2)]
    assert hal(root, "app/_through.py") == [("HAL002", 2)]  # imported only by a module for type checkers
    assert hal(root, "app/_runtime.py") == [("HAL002", 1), ("HAL002", 2)]
    assert hal(root, "app/_nobody.py") == [("HAL002", 1), ("HAL002", 2)]


def test_the_test_suites_unguarded_imports_do_not_make_a_feature_required(project):
    # jupytext: `try: from .sync_contentsmanager import ...` / `except ImportError` in the package,
    # and a test that imports the module unguarded (the tests run with jupyter-server installed)
    root = project({
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "try:\n    from app.server import Manager\nexcept ImportError:\n    Manager = None\n",
        "app/server.py": "from tornado_missing_mod.web import HTTPError\n",
        "tests/test_server.py": "from app.server import __file__ as server_file\n",
        "tests/conftest.py": "import app.server\n",
        "app/test_helpers.py": "from app.server import HTTPError\n",
    })
    assert hal(root, "app/server.py") == []


def test_look_alikes_tests_alone_or_an_unguarded_package_importer_still_prove_nothing(project):
    root = project({
        "pyproject.toml": PYPROJECT,
        "app/__init__.py": "try:\n    from app.server import Manager\nexcept ImportError:\n    Manager = None\n",
        "app/server.py": "from tornado_missing_mod.web import HTTPError\n",
        "app/cli.py": "from app.server import Manager\n",  # the package needs it unguarded
        "app/only_tested.py": "import tested_missing_mod\n",  # nothing but a test imports it
        "tests/test_server.py": "import app.server\nimport app.only_tested\n",
    })
    assert hal(root, "app/server.py") == [("HAL001", 1)]
    assert hal(root, "app/only_tested.py") == [("HAL001", 1)]
