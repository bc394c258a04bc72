"""Money: Decimal only, rounded to cents in this one place."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["cents", "text", "ZERO"]

ZERO = Decimal("0.00")
_CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """Round to whole cents, halves upwards (the only rounding in the package)."""
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def text(amount: Decimal) -> str:
    """The contract's form of an amount or rate: a decimal string with two decimals."""
    return str(cents(amount))
