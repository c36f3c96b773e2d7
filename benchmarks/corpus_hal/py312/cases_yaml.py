"""PyYAML 6: 5.x load without Loader, json idioms, keywords forwarded to dump_all."""
import yaml

DOC = "a: 1\nb: [1, 2]\n"


def case_load_without_loader():
    return yaml.load(DOC)  # HAL: version-drift; receiver=call


def case_safe_load_loader_kw():
    return yaml.safe_load(DOC, Loader=yaml.FullLoader)  # HAL: invented-keyword; receiver=call


def case_dump_sort_kw():
    return yaml.dump({"b": 1, "a": 2}, indent=2, sort=False)  # HAL: invented-keyword; receiver=kwargs-forward


def case_load_file():
    return yaml.load_file("config.yaml")  # HAL: invented-member; receiver=module


def case_yaml_decode_error():
    errors = (yaml.YAMLDecodeError, ValueError)  # HAL: other-library-idiom; receiver=module
    return errors


def case_safe_dump_ensure_ascii():
    return yaml.safe_dump({"name": "é"}, ensure_ascii=False)  # HAL: other-library-idiom; receiver=kwargs-forward


def case_dumps():
    return yaml.dumps({"a": 1})  # HAL: other-library-idiom; receiver=module


def case_safe_load_all_loop_member():
    out = []
    for doc in yaml.safe_load_all("a: 1\n---\nb: 2\n"):
        out.append(doc.to_dict())  # HAL: invented-member; receiver=loop
    return out


def case_safe_load_loader_positional():
    return yaml.safe_load(DOC, yaml.SafeLoader)  # HAL: arity; receiver=call
