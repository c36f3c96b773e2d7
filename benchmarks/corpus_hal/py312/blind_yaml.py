"""Blind set (written without running vetpy or reading its rules): PyYAML 6."""
import io
import yaml


def case_yaml_safe_load_encoding():
    return yaml.safe_load(io.StringIO("a: 1"), encoding="utf-8")  # HAL: invented-keyword; receiver=call
