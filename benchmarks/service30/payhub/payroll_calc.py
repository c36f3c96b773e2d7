"""Pay arithmetic: periods, gross-to-net, overtime, pro-rata, leave accrual."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

CENT = Decimal("0.01")
PERSONAL_ALLOWANCE = Decimal("12570")
TAX_BANDS = [  # (upper bound of annual taxable income, rate)
    (Decimal("37700"), Decimal("0.20")),
    (Decimal("125140"), Decimal("0.40")),
    (None, Decimal("0.45")),
]
OVERTIME_MULTIPLIER = Decimal("1.5")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: decimal-quantize


def to_decimal(value: str | int | Decimal) -> Decimal:
    return Decimal(str(value))  # SAFE: decimal-from-str


@dataclass
class PayLine:
    gross: Decimal
    tax: Decimal
    deductions: Decimal
    net: Decimal


def annual_tax(taxable: Decimal) -> Decimal:
    remaining = max(taxable - PERSONAL_ALLOWANCE, Decimal("0"))
    tax = Decimal("0")
    lower = Decimal("0")
    for upper, rate in TAX_BANDS:
        band = remaining if upper is None else min(remaining, upper - lower)
        if band <= 0:
            break
        tax += band * rate
        remaining -= band
        if upper is not None:
            lower = upper
    return money(tax)


def monthly_pay(salary: Decimal, deductions: Decimal = Decimal("0")) -> PayLine:
    gross = money(salary / 12)  # SAFE: decimal-division-constant
    tax = money(annual_tax(salary) / 12)
    return PayLine(gross, tax, deductions, gross - tax - deductions)


def hourly_pay(hours: Decimal, overtime: Decimal, rate: float) -> Decimal:
    pay = float(hours) * rate + float(overtime) * rate * 1.5  # SEEDED: EDGE money-float
    return Decimal(round(pay, 2))  # SEEDED-ALSO


def hourly_pay_exact(hours: Decimal, overtime: Decimal, rate: Decimal) -> Decimal:
    return money(hours * rate + overtime * rate * OVERTIME_MULTIPLIER)  # SAFE: decimal-arithmetic


def expense_total(amounts: list[float]) -> float:
    return round(sum(amounts), 2)  # SEEDED: EDGE money-float


def fx_convert(amount: Decimal, rate: Decimal) -> Decimal:
    return money(amount * rate)  # SAFE: decimal-arithmetic


def period_bounds(any_day: date) -> tuple[date, date]:
    last = calendar.monthrange(any_day.year, any_day.month)[1]
    return any_day.replace(day=1), any_day.replace(day=last)  # SAFE: month-end-via-monthrange


def next_pay_date(previous: date) -> date:
    """Monthly pay on the same day of the next month."""
    return previous.replace(month=previous.month + 1)  # SEEDED: EDGE month-end


def next_pay_date_safe(previous: date) -> date:
    year, month = (previous.year + 1, 1) if previous.month == 12 else (previous.year, previous.month + 1)
    day = min(previous.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)  # SAFE: month-end-clamped


def working_days(start: date, end: date) -> int:
    """Mon-Fri days from start to end, both included."""
    days = 0
    for offset in range((end - start).days):  # SEEDED: EDGE off-by-one
        if (start + timedelta(days=offset)).weekday() < 5:
            days += 1
    return days


def calendar_days_inclusive(start: date, end: date) -> int:
    return (end - start).days + 1  # SAFE: inclusive-count


def prorate(salary: Decimal, start: date, period_start: date, period_end: date) -> Decimal:
    total = calendar_days_inclusive(period_start, period_end)
    worked = calendar_days_inclusive(max(start, period_start), period_end)
    return money(salary / 12 * worked / total)  # SAFE: division-nonzero-by-construction


def average_hours(timesheets: list) -> Decimal:
    total = sum((t.hours for t in timesheets), Decimal("0"))
    return total / len(timesheets)  # SEEDED: EDGE division-by-zero


def average_net(payslips: list) -> Decimal:
    if not payslips:  # SAFE: division-guarded
        return Decimal("0")
    return money(sum((p.net for p in payslips), Decimal("0")) / len(payslips))


def split_bonus(pool: Decimal, headcount: int) -> list[Decimal]:
    share = money(pool / headcount)  # SEEDED: EDGE rounding
    return [share] * headcount


def split_bonus_exact(pool: Decimal, headcount: int) -> list[Decimal]:
    if headcount <= 0:
        return []
    cents = int(money(pool) * 100)
    base, extra = divmod(cents, headcount)
    return [Decimal(base + (1 if i < extra else 0)) / 100 for i in range(headcount)]  # SAFE: remainder-distributed


def shift_hours(clock_in: str, clock_out: str, tz_name: str) -> float:
    """Hours of a night shift from kiosk local times (ISO, no offset)."""
    zone = ZoneInfo(tz_name)
    start = datetime.fromisoformat(clock_in).replace(tzinfo=zone)
    end = datetime.fromisoformat(clock_out).replace(tzinfo=zone)
    return (end - start).total_seconds() / 3600  # SEEDED: EDGE dst


def shift_hours_utc(clock_in: str, clock_out: str, tz_name: str) -> float:
    zone = ZoneInfo(tz_name)
    start = datetime.fromisoformat(clock_in).replace(tzinfo=zone).astimezone(timezone.utc)
    end = datetime.fromisoformat(clock_out).replace(tzinfo=zone).astimezone(timezone.utc)
    return (end - start).total_seconds() / 3600  # SAFE: utc-subtraction


def cutoff_passed(period_end: date, tz_name: str) -> bool:
    cutoff = datetime.combine(period_end, time(17, 0), tzinfo=ZoneInfo(tz_name))
    return datetime.now(timezone.utc) > cutoff  # SAFE: aware-compare


def is_locked(run_approved_at: datetime | None) -> bool:
    if run_approved_at is None:
        return False
    return datetime.now() - run_approved_at > timedelta(hours=24)  # SEEDED: EDGE naive-datetime


def accrue_leave(balance: Decimal, days_per_year: Decimal) -> Decimal:
    return balance + money(days_per_year / 12)  # SAFE: decimal-arithmetic


def years_of_service(start: date, today: date) -> int:
    return (today - start).days // 365  # SEEDED: EDGE off-by-one


def years_of_service_exact(start: date, today: date) -> int:
    years = today.year - start.year
    if (today.month, today.day) < (start.month, start.day):  # SAFE: anniversary-compare
        years -= 1
    return years


def parse_hours(text: str) -> Decimal:
    hours, minutes = text.split(":")  # SEEDED: EDGE empty-input
    return to_decimal(hours) + to_decimal(minutes) / 60


def highest_paid(payslips: list) -> Decimal | None:
    return max((p.gross for p in payslips), default=None)  # SAFE: max-default
