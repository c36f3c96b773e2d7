"""Blind set: Jinja2 3.1."""
from jinja2 import DictLoader, Environment


def make_env() -> Environment:
    return Environment(loader=DictLoader({"a.txt": "{{ x }}"}))


def case_env_add_filter():
    env = make_env()
    env.add_filter("up", str.upper)  # HAL: invented-member; receiver=helper-return


def case_ext_with():
    return Environment(extensions=["jinja2.ext.with_"])  # HAL: version-drift; receiver=call


def case_template_render_file():
    return make_env().get_template("a.txt").render_file("out.txt", x=1)  # HAL: invented-member; receiver=chain
