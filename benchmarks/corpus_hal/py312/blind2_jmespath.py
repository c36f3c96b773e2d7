"""Blind set 2 (written without running vetpy or reading its rules): jmespath 1.1."""
import jmespath


def case_compiled_evaluate():
    expression = jmespath.compile("a.b")
    return expression.evaluate({"a": {"b": 1}})  # HAL: invented-member; receiver=factory


def case_search_default():
    return jmespath.search("a.c", {"a": {}}, default=0)  # HAL: invented-keyword; receiver=call
