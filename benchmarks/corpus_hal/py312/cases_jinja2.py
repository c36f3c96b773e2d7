"""Jinja2 3.1: names removed in 3.0/3.1, invented keywords and members."""
from jinja2 import DictLoader, Environment, Template


def make_env() -> Environment:
    return Environment(loader=DictLoader({"hello.txt": "Hello {{ name }}"}))


def case_markup_import():
    from jinja2 import Markup  # HAL: version-drift; receiver=import
    return Markup("x")


def case_escape_import():
    from jinja2 import escape  # HAL: version-drift; receiver=import
    return escape("<")


def case_contextfilter():
    from jinja2 import contextfilter  # HAL: version-drift; receiver=import
    return contextfilter


def case_evalcontextfunction():
    from jinja2 import evalcontextfunction  # HAL: version-drift; receiver=import
    return evalcontextfunction


def case_template_render_string():
    template = make_env().get_template("hello.txt")
    return template.render_string(name="x")  # HAL: invented-member; receiver=chain


def case_trim_block_kw():
    return Environment(trim_block=True)  # HAL: invented-keyword; receiver=call


def case_filters_register():
    env = make_env()
    env.filters.register("up", str.upper)  # HAL: other-library-idiom; receiver=chain


def case_from_string_autoescape():
    env = make_env()
    return env.from_string("{{ x }}", autoescape=True)  # HAL: invented-keyword; receiver=helper-return


def case_template_render_async_member():
    tpl = Template("{{ x }}")
    return tpl.render_to_string(x=1)  # HAL: other-library-idiom; receiver=constructor


def case_render_two_dicts():
    return Template("{{ a }}{{ b }}").render({"a": 1}, {"b": 2})  # HAL: arity; receiver=chain
