"""Refunds, credits, SLA formulas and agent statistics."""
import ast
import operator
import statistics
from decimal import ROUND_HALF_UP, Decimal

VAT_RATE = Decimal("0.20")
CENT = Decimal("0.01")
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def refund_total(amount: float) -> float:
    return round(amount * 1.2, 2)  # SEEDED: EDGE money-float


def discounted_price(price: float, loyalty_years: int) -> float:
    discount = 0.05 * min(loyalty_years, 4)
    return price - price * discount  # SEEDED: EDGE money-float


def parse_invoice_amount(line: dict) -> float:
    return float(line["amount"])  # SEEDED: EDGE money-float


def apply_credit(balance: Decimal, credit: Decimal) -> Decimal:
    return (balance + credit).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: Decimal money


def invoice_total(lines: list[dict]) -> Decimal:
    net = sum((Decimal(str(l["unit_price"])) * l["qty"] for l in lines), Decimal("0"))
    return (net * (1 + VAT_RATE)).quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: Decimal money


def mean_response_minutes(samples: list[float]) -> float:
    return round(sum(samples) / len(samples), 1)  # SEEDED: EDGE empty-division


def median_response_minutes(samples: list[float]) -> float:
    if not samples:
        return 0.0
    return round(statistics.median(samples), 1)  # SAFE: not money, empty handled


def resolution_rate(resolved: int, total: int) -> float:
    return round(100 * resolved / total, 1) if total else 0.0  # SAFE: zero handled, not money


def slowest_agent(times: dict[str, float]) -> str:
    return max(times, key=times.get)  # SEEDED: EDGE empty-max


def busiest_hour(counts: dict[int, int]) -> int | None:
    return max(counts, key=counts.get, default=None)  # SAFE: default for empty


def evaluate_formula(formula: str, variables: dict) -> float:
    return eval(formula, {"__builtins__": {}}, variables)  # SEEDED: SEC eval-injection


def run_hook(source: str) -> dict:
    scope: dict = {}
    exec(source, scope)  # SEEDED: SEC exec-injection
    return scope


def evaluate_formula_safe(formula: str, variables: dict) -> float:
    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.Name) and node.id in variables:
            return variables[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        raise ValueError("unsupported expression")

    return walk(ast.parse(formula, mode="eval"))  # SAFE: whitelisted AST walk, no eval


def parse_threshold(text: str):
    return ast.literal_eval(text)  # SAFE: literals only


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    share = (total / parts).quantize(CENT)  # SEEDED: EDGE zero-division
    return [share] * parts
