"""Admin reports: configurable formulas and templated summaries."""
import ast
import operator
import re
from typing import Any

from jinja2 import Environment, select_autoescape

_env = Environment(autoescape=select_autoescape())

SAFE_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
DEFAULT_METRIC = "revenue - refunds"


def evaluate_metric(formula: str, values: dict[str, Any]) -> Any:
    """Evaluate a metric formula such as 'revenue - refunds' against the values."""
    return eval(formula, {"__builtins__": {}}, values)  # SEEDED: SEC eval-param


def run_report_hook(source: str, context: dict) -> dict:
    code = compile(source, "<report-hook>", "exec")  # SEEDED: SEC compile-param
    exec(code, context)
    return context


def parse_setting(raw: str) -> Any:
    return ast.literal_eval(raw)  # SAFE: literal-eval


def default_metric(values: dict[str, Any]) -> Any:
    return eval("revenue - refunds", {"__builtins__": {}}, values)  # SAFE: constant-eval


def evaluate_safely(formula: str, values: dict[str, float]) -> float:
    tree = ast.parse(formula, mode="eval")

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in SAFE_OPS:
            return SAFE_OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        raise ValueError("unsupported expression")

    return walk(tree)


def render_summary(title: str, rows: list[dict]) -> str:
    template = _env.from_string("<h1>{{ title }}</h1>{% for r in rows %}<p>{{ r.name }}</p>{% endfor %}")  # SAFE: constant-template
    return template.render(title=title, rows=rows)


def highlight(text: str, word: str) -> str:
    return re.sub(re.escape(word), lambda m: f"<b>{m.group(0)}</b>", text)  # SAFE: regex-escaped


def first_sku(text: str) -> str:
    m = re.search(r"SKU-(\d+)", text)
    return m.group(1)  # SEEDED: EDGE none-regex-match
