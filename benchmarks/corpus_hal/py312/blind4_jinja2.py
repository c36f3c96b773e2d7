"""Blind set 4 (written without running vetpy or reading its rules): jinja2."""
from jinja2 import DictLoader, Environment, FileSystemLoader, Template, select_autoescape


def _env() -> Environment:
    return Environment(loader=DictLoader({"a.html": "{{ x }}"}))


def case_template_compile():
    return _env().get_template("a.html").compile()  # HAL: invented-member; receiver=chain


def case_select_autoescape_default_ext():
    return select_autoescape(["html"], default_ext=True)  # HAL: invented-keyword; receiver=call


def case_evalcontextfilter_import():
    from jinja2 import evalcontextfilter  # HAL: version-drift; receiver=import
    return evalcontextfilter


def case_filesystem_loader_follow_links():
    return FileSystemLoader("templates", follow_links=True)  # HAL: invented-keyword; receiver=call


def case_template_render_context_arity():
    return Template("{{ x }}").render({"x": 1}, {"y": 2})  # HAL: arity; receiver=constructor


def case_env_globals_register():
    env = _env()
    env.add_global("x", 1)  # HAL: invented-member; receiver=helper-return
