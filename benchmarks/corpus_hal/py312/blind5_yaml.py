"""blind5 / PyYAML 6.0 (issue 15, point 3).

Sources: PyYAML 6.0 changelog ("yaml.load() now requires a Loader argument", https://github.com/yaml/pyyaml/pull/561;
https://github.com/yaml/pyyaml/blob/main/CHANGES), the json module's ``dumps`` / ``JSONDecodeError.lineno``,
``open(encoding=)``, invented ``safe_load_file`` / ``sort=`` / ``indent_size=``.
"""

import io

import yaml

TEXT = "name: demo\nitems: [1, 2]\n"


def case_load_without_loader():
    return yaml.load(TEXT)  # HAL: arity; receiver=module


def case_safe_load_loader_keyword():
    return yaml.safe_load(TEXT, Loader=yaml.FullLoader)  # HAL: invented-keyword; receiver=module


def case_dump_sort_keyword():
    return yaml.dump({"b": 1, "a": 2}, sort=False)  # HAL: invented-keyword; receiver=kwargs-forward


def case_safe_dump_indent_size():
    buf = io.StringIO()
    yaml.safe_dump({"a": [1, 2]}, buf, indent_size=4)  # HAL: invented-keyword; receiver=kwargs-forward
    return buf.getvalue()


def case_yaml_dumps():
    return yaml.dumps({"a": 1})  # HAL: other-library-idiom; receiver=module


def case_safe_load_file():
    return yaml.safe_load_file("config.yaml")  # HAL: invented-member; receiver=module


def case_error_lineno():
    try:
        yaml.safe_load("a: [1, 2")
    except yaml.YAMLError as exc:
        return exc.lineno  # HAL: other-library-idiom; receiver=except-target


def case_safe_load_encoding():
    return yaml.safe_load(io.BytesIO(TEXT.encode()), encoding="utf-8")  # HAL: other-library-idiom; receiver=module


def case_load_all_without_loader():
    return list(yaml.load_all("a: 1\n---\nb: 2\n"))  # HAL: arity; receiver=module
