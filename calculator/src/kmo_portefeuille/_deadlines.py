"""Deadlines: apply, deposit the own share, complete the service."""

from __future__ import annotations

import datetime as _dt

from ._explain import Explanation
from ._format import format_date
from ._params import RuleSet

__all__ = ["apply_by", "deposit_by", "complete_by"]


def apply_by(start: _dt.date, rules: RuleSet, explain: Explanation) -> _dt.date:
    """An application is on time up to 14 calendar days after the training or the collaboration starts (VLAIO)."""
    days = rules["deadline.apply_days"]
    due = start + _dt.timedelta(days=days.value)
    explain.step("apply_by", f"Aanvragen kan tot {days.value} kalenderdagen na de start ({format_date(start)}): "
                             f"uiterlijk {format_date(due)}.", due.isoformat(), days)
    return due


def deposit_by(application: _dt.date, rules: RuleSet, explain: Explanation) -> _dt.date:
    """The own share must be in the portfolio within 30 calendar days; counted here from the application date (VIGC, VLAIO)."""
    days = rules["deadline.deposit_days"]
    due = application + _dt.timedelta(days=days.value)
    explain.step("deposit_by", f"Het eigen aandeel stort je binnen {days.value} kalenderdagen: uiterlijk "
                               f"{format_date(due)}. Officieel lopen die dagen vanaf de goedkeuring, die in de "
                               "praktijk samenvalt met de aanvraag.", due.isoformat(), days)
    return due


def complete_by(application: _dt.date, rules: RuleSet, explain: Explanation) -> _dt.date:
    """Training and advice must be completed by 31 December of the calendar year after the application (VLAIO)."""
    years = rules["deadline.complete_years"]
    due = _dt.date(application.year + years.value, 12, 31)
    explain.step("complete_by", f"De opleiding of het advies moet afgerond zijn op {format_date(due)}.",
                 due.isoformat(), years)
    return due
