"""Enterprise size by the European SME definition (Recommendation 2003/361/EC).

Partner enterprises add their figures in proportion to the share, linked
enterprises in full; the headcount limit must always hold, and of turnover and
balance-sheet total the more favourable one counts. A size fixed at the first
application of the calendar year wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ._explain import Explanation
from ._format import format_amount, format_percentage
from ._params import RuleSet
from ._request import Enterprise, Related

__all__ = ["Figures", "decide_size", "SIZE_LABELS"]

SIZE_LABELS = {"small": "kleine onderneming", "medium": "middelgrote onderneming", "large": "grote onderneming"}


@dataclass(frozen=True)
class Figures:
    fte: Decimal
    turnover: Decimal | None
    balance_sheet_total: Decimal | None

    def as_dict(self) -> dict:
        def txt(x: Decimal | None) -> str | None:
            return None if x is None else str(x.quantize(Decimal("0.01")))
        return {"fte": txt(self.fte), "turnover": txt(self.turnover), "balance_sheet_total": txt(self.balance_sheet_total)}


def counted_share(related: Related, rules: RuleSet, explain: Explanation) -> Decimal:
    """A linked enterprise counts in full, a partner for the share held; a smaller holding is not counted (2003/361/EC, art. 3 and 6)."""
    if related.relation == "linked":
        return Decimal(1)
    minimum = rules["related.partner_min_share"]
    linked_above = rules["related.linked_above_share"]
    if related.share < minimum.decimal:
        explain.warn("partner_below_threshold",
                     f"Een onderneming waarin minder dan {format_percentage(minimum.decimal)} wordt gehouden, "
                     "is geen partneronderneming; de rekenhulp telt haar cijfers niet mee.")
        return Decimal(0)
    if related.share == minimum.decimal and minimum.uncertain:
        explain.warn(f"uncertain.{minimum.id}", minimum.uncertain)
    if related.share > linked_above.decimal:
        explain.warn("partner_looks_linked",
                     f"Bij een aandeel van meer dan {format_percentage(linked_above.decimal)} gaat het meestal om een "
                     "verbonden onderneming, die volledig meetelt. Kijk de relatie na.")
    return related.share


def combined_figures(enterprise: Enterprise, rules: RuleSet, explain: Explanation) -> Figures:
    """The enterprise's own figures plus those of partner and linked enterprises, each in its counted share (2003/361/EC, art. 6)."""
    fte, turnover, balance = enterprise.fte, enterprise.turnover, enterprise.balance_sheet_total
    for index, related in enumerate(enterprise.related):
        share = counted_share(related, rules, explain)
        if share == 0:
            continue
        fte += related.fte * share
        if turnover is not None:
            turnover += (related.turnover or 0) * share
        if balance is not None:
            balance += (related.balance_sheet_total or 0) * share
        kind = "verbonden onderneming (100 %)" if related.relation == "linked" else \
            f"partneronderneming ({format_percentage(share)})"
        # Cite the source, not the value: its doubt concerns only a share of exactly the threshold.
        rule = rules["related.linked_above_share" if related.relation == "linked" else "related.partner_min_share"]
        explain.step(f"size.related.{index}",
                     f"De cijfers van {kind} nummer {index + 1} tellen mee voor {format_percentage(share)}.",
                     str(share), rule.source)
    return Figures(fte, turnover, balance)


def fits(figures: Figures, size: str, rules: RuleSet) -> list[str] | None:
    """A size class fits when the headcount is below its limit and the turnover or the balance-sheet total is within its limit (2003/361/EC, art. 2)."""
    if figures.fte >= rules[f"size.{size}.fte_below"].decimal:
        return None
    decided = []
    if figures.turnover is not None and figures.turnover <= rules[f"size.{size}.turnover_max"].decimal:
        decided.append("turnover")
    if figures.balance_sheet_total is not None and \
            figures.balance_sheet_total <= rules[f"size.{size}.balance_max"].decimal:
        decided.append("balance_sheet_total")
    return ["fte", *decided] if decided else None


def decide_size(enterprise: Enterprise, rules: RuleSet, explain: Explanation) -> tuple[str, list[str], Figures | None]:
    """The size that applies: the one fixed earlier this year, else the smallest class the figures fit, else large."""
    if enterprise.size is not None:
        explain.step("size", f"De grootte werd eerder dit jaar vastgelegd als {SIZE_LABELS[enterprise.size]}; "
                             "die geldt voor alle aanvragen van dit kalenderjaar.",
                     enterprise.size, rules["size.small.fte_below"].source)
        return enterprise.size, ["fixed"], None
    figures = combined_figures(enterprise, rules, explain)
    for size in ("small", "medium"):
        decided = fits(figures, size, rules)
        if decided:
            explain.step("size", _size_sentence(size, figures, decided, rules), size, rules[f"size.{size}.fte_below"])
            return size, decided, figures
    explain.step("size", "Met deze cijfers is het een grote onderneming: de personeelsgrens of zowel de omzet- "
                         "als de balansgrens van een middelgrote onderneming wordt overschreden.",
                 "large", rules["size.medium.fte_below"])
    return "large", ["fte", "turnover", "balance_sheet_total"], figures


def _size_sentence(size: str, figures: Figures, decided: list[str], rules: RuleSet) -> str:
    fte_limit = rules[f"size.{size}.fte_below"].decimal
    parts = [f"{_fte(figures.fte)} VTE (minder dan {_fte(fte_limit)})"]
    if "turnover" in decided:
        parts.append(f"een jaaromzet van {format_amount(figures.turnover)} "
                     f"(hoogstens {format_amount(rules[f'size.{size}.turnover_max'].decimal, cents=False)})")
    if "balance_sheet_total" in decided:
        parts.append(f"een balanstotaal van {format_amount(figures.balance_sheet_total)} "
                     f"(hoogstens {format_amount(rules[f'size.{size}.balance_max'].decimal, cents=False)})")
    return f"{SIZE_LABELS[size].capitalize()}: " + " en ".join(parts) + "."


def _fte(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')).normalize():f}"
    return text.replace(".", ",")
