"""Flemish presentation of amounts, percentages and dates (only at the edges)."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

__all__ = ["format_amount", "format_date", "format_percentage", "NBSP"]

NBSP = "\u00a0"
_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def format_amount(amount: Decimal | str | int, cents: bool = True) -> str:
    """``€ 1.234,56`` (or ``€ 7.500`` with ``cents=False``), with a non-breaking space."""
    value = Decimal(str(amount))
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.2f}" if cents else f"{abs(value):,.0f}"
    text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"€{NBSP}{sign}{text}"


def format_percentage(rate: Decimal | str) -> str:
    """``0.30`` → ``30 %``."""
    pct = (Decimal(str(rate)) * 100).normalize()
    text = f"{pct:f}".replace(".", ",")
    return f"{text}{NBSP}%"


def format_date(day: _dt.date | str) -> str:
    """``2026-02-01`` → ``1 februari 2026``."""
    if isinstance(day, str):
        day = _dt.date.fromisoformat(day)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
