"""Weighted gradebook, late penalties, curves and letter grades."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
import statistics
from collections import defaultdict
from dataclasses import dataclass

from .timeutil import days_late

LETTERS = [(93, "A"), (90, "A-"), (87, "B+"), (83, "B"), (80, "B-"), (77, "C+"), (73, "C"), (70, "C-"), (60, "D"), (0, "F")]


@dataclass
class ScoredItem:
    category: str
    points: float | None
    max_points: int


def late_penalised(points: float, max_points: int, submitted, due, per_day: float, cutoff_days: int) -> float:
    late = days_late(submitted, due)
    if late == 0:
        return points
    if late > cutoff_days:
        return 0.0
    factor = max(0.0, 1.0 - per_day * late)  # SAFE: clamped-penalty
    return round(points * factor, 2)


def late_penalised_flat(points: float, late_days: int, per_day_points: float) -> float:
    """Older courses deduct a fixed number of points per late day."""
    return points - per_day_points * late_days  # SEEDED: EDGE negative-amount


def category_percent(items: list[ScoredItem]) -> float | None:
    graded = [i for i in items if i.points is not None]
    possible = sum(i.max_points for i in graded)
    if possible == 0:  # SAFE: guarded-division
        return None
    return 100.0 * sum(i.points for i in graded) / possible


def weighted_grade(items: list[ScoredItem], weights: dict[str, float]) -> float | None:
    by_cat: dict[str, list[ScoredItem]] = defaultdict(list)
    for item in items:
        by_cat[item.category].append(item)
    total = 0.0
    used = 0.0
    for cat, weight in weights.items():
        pct = category_percent(by_cat.get(cat, []))
        if pct is None:
            continue
        total += pct * weight
        used += weight
    if used == 0:  # SAFE: guarded-division
        return None
    return total / used


def weighted_grade_strict(items: list[ScoredItem], weights: dict[str, float]) -> float:
    """Used by the transcript: every category counts, even empty ones."""
    total = 0.0
    for cat, weight in weights.items():
        cat_items = [i for i in items if i.category == cat]
        earned = sum(i.points or 0 for i in cat_items)
        possible = sum(i.max_points for i in cat_items)
        total += weight * earned / possible  # SEEDED: EDGE division-by-zero
    return 100.0 * total / sum(weights.values())


def letter(percent: float | None) -> str:
    if percent is None or math.isnan(percent):  # SAFE: none-checked
        return "—"
    for floor, name in LETTERS:
        if percent >= floor:
            return name
    return "F"


def display_letter(percent_value: float) -> str:
    """The transcript shows whole percentages, and the letter of the shown number."""
    shown = round(percent_value)  # SEEDED: EDGE rounding
    return letter(shown)


def display_percent(percent_value: float) -> str:
    return f"{Decimal(str(percent_value)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"  # SAFE: half-up-display


def curve_scores(scores: list[float], target_mean: float) -> list[float]:
    if not scores:  # SAFE: empty-checked
        return []
    shift = target_mean - statistics.fmean(scores)
    return [min(100.0, s + shift) for s in scores]


def curve_by_stdev(scores: list[float], target_mean: float, target_sd: float) -> list[float]:
    mean = statistics.mean(scores)
    sd = statistics.stdev(scores)  # SEEDED: EDGE empty-collection
    return [min(100.0, target_mean + (s - mean) / sd * target_sd) for s in scores]  # SEEDED: EDGE division-by-zero


def top_student(totals: dict[int, float]) -> int:
    return max(totals, key=totals.get)  # SEEDED: EDGE empty-collection


def best_attempt(scores: list[float]) -> float | None:
    return max(scores, default=None)  # SAFE: max-default


def median_grade(scores: list[float]) -> float | None:
    return statistics.median(scores) if scores else None  # SAFE: empty-checked


def histogram(scores: list[float], buckets: int = 10) -> list[int]:
    counts = [0] * buckets
    for s in scores:
        idx = min(buckets - 1, int(s // (100 / buckets)))  # SAFE: clamped-index
        counts[max(0, idx)] += 1
    return counts


def grade_quiz(questions: list[dict], answers: dict[str, str]) -> tuple[float, float]:
    earned = 0.0
    possible = 0.0
    for q in questions:
        pts = float(q.get("points", 1))
        possible += pts
        given = answers.get(str(q["id"]))
        if given is not None and given.strip().lower() == str(q["answer"]).strip().lower():
            earned += pts
    return earned, possible


def percent(earned: float, possible: float) -> float:
    return 0.0 if possible <= 0 else round(100.0 * earned / possible, 2)  # SAFE: guarded-division


def drop_lowest(scores: list[float], n: int) -> list[float]:
    if n <= 0:
        return list(scores)
    return sorted(scores)[n:]  # SAFE: slice-safe


def pass_fail(percent_value: float, threshold: float = 60.0) -> bool:
    return percent_value >= threshold
