"""Quiz scoring, weighted grades, late penalties."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

LETTER_BOUNDS = [(90, "A"), (80, "B"), (70, "C"), (60, "D")]


def score_attempt(answers: dict[str, str], key: dict[str, str]) -> float:
    correct = sum(1 for qid, expected in key.items() if answers.get(qid) == expected)
    return correct / len(key) * 100  # SEEDED: EDGE division-by-zero


def score_attempt_safe(answers: dict[str, str], key: dict[str, str]) -> float:
    if not key:
        return 0.0
    correct = sum(1 for qid, expected in key.items() if answers.get(qid) == expected)
    return correct / len(key) * 100  # SAFE: guarded-division


def weighted_grade(parts: list[tuple[float, float]]) -> float:
    """parts: (score 0-100, weight)."""
    total_weight = sum(w for _, w in parts)
    if total_weight <= 0:
        return 0.0
    return sum(s * w for s, w in parts) / total_weight  # SAFE: guarded-division


def class_average(scores: list[float]) -> float:
    return sum(scores) / len(scores)  # SEEDED: EDGE division-by-zero


def median_score(scores: list[float]) -> float | None:
    if not scores:
        return None
    ordered = sorted(scores)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2  # SAFE: median-index


def top_student(results: dict[int, float]) -> int:
    return max(results, key=results.get)  # SEEDED: EDGE empty-input


def best_attempt(scores: list[float]) -> float | None:
    return max(scores, default=None)  # SAFE: max-default


def letter(score: float) -> str:
    for bound, name in LETTER_BOUNDS:
        if score > bound:  # SEEDED: EDGE off-by-one
            return name
    return "F"


def letter_exact(score: Decimal) -> str:
    for bound, name in LETTER_BOUNDS:
        if score >= bound:  # SAFE: inclusive-bound
            return name
    return "F"


def late_penalty(submitted_at: datetime, due_at: datetime, per_day: Decimal = Decimal("10")) -> Decimal:
    """Percent deducted: per_day for each started day late, at most 50."""
    if submitted_at <= due_at:
        return Decimal(0)
    late = submitted_at - due_at
    days = late.days  # SEEDED: EDGE off-by-one
    return min(Decimal(50), per_day * days)


def late_penalty_exact(submitted_at: datetime, due_at: datetime, per_day: Decimal = Decimal("10")) -> Decimal:
    if submitted_at <= due_at:
        return Decimal(0)
    late = submitted_at - due_at
    started_days = -(-late // timedelta(days=1))  # SAFE: ceil-days
    return min(Decimal(50), per_day * started_days)


def final_grade(raw: float, penalty_percent: Decimal) -> Decimal:
    value = Decimal(str(raw)) * (Decimal(100) - penalty_percent) / Decimal(100)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # SAFE: decimal-quantize


def curve(scores: list[float], target_mean: float = 75.0) -> list[float]:
    mean = sum(scores) / len(scores) if scores else 0.0  # SAFE: guarded-division
    shift = target_mean - mean
    return [min(100.0, s + shift) for s in scores]


def percentile_rank(score: float, scores: list[float]) -> float:
    below = sum(1 for s in scores if s < score)
    return 100.0 * below / max(len(scores), 1)  # SAFE: guarded-division


def page_bounds(page: int, size: int) -> tuple[int, int]:
    """Rows for a 1-based page."""
    start = page * size  # SEEDED: EDGE off-by-one
    return start, start + size


def page_bounds_safe(page: int, size: int) -> tuple[int, int]:
    page = max(page, 1)
    start = (page - 1) * size  # SAFE: one-based-offset
    return start, start + size


def parse_duration(text: str) -> int:
    """'1:30' -> 90 minutes (quiz time limits typed by instructors)."""
    hours, minutes = text.split(":")  # SEEDED: EDGE empty-input
    return int(hours) * 60 + int(minutes)


def parse_duration_safe(text: str | None, default: int = 30) -> int:
    if not text or ":" not in text:
        return default
    hours, _, minutes = text.partition(":")
    try:
        return int(hours) * 60 + int(minutes)  # SAFE: validated-split
    except ValueError:
        return default
