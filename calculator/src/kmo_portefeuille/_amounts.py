"""The amounts: eligible cost, rate, ceiling, support, own share and what is paid directly."""

from __future__ import annotations

from decimal import Decimal

from . import _money
from ._explain import Explanation
from ._format import format_amount, format_date, format_percentage
from ._params import RuleSet, Value
from ._request import Catering, Request
from ._size import SIZE_LABELS

__all__ = ["catering_split", "rate", "ceiling", "werkbaar_werk_top_up", "support", "vat", "vat_rate_used", "net_cost"]


def catering_split(catering: Catering | None, rules: RuleSet, explain: Explanation) -> tuple[Decimal, Decimal]:
    """Catering counts up to 25 euro per participant per day; the rest is paid by the enterprise itself (VLAIO)."""
    if catering is None:
        return _money.ZERO, _money.ZERO
    cap = rules["catering.cap"]
    units = catering.participants * catering.days
    total = _money.cents(units * catering.per_person_per_day)
    counted = _money.cents(units * min(catering.per_person_per_day, cap.decimal))
    explain.step("catering", f"Catering: {catering.participants} deelnemers × {catering.days} dagen × "
                             f"{format_amount(min(catering.per_person_per_day, cap.decimal))} telt mee "
                             f"(hoogstens {format_amount(cap.decimal, cents=False)} per persoon per dag): "
                             f"{format_amount(counted)} van {format_amount(total)}.", str(counted), cap)
    return counted, total - counted


def rate(size: str, service: str, theme: str | None, rules: RuleSet, explain: Explanation) -> tuple[Decimal, Value | None]:
    """The support rate by size: the raised rate for cybersecurity (training and advice) and energy-efficiency training, else the standard rate (VLAIO)."""
    if size == "large":
        return _money.ZERO, None
    raised_themes = rules[f"raised.{service}"]
    chosen: Value
    if theme in raised_themes.value:
        chosen = rules[f"rate.raised.{size}"]
        explain.doubt(raised_themes, theme)
        why = f"het verhoogde percentage voor {rules.theme_label(theme).lower()}"
    else:
        chosen = rules[f"rate.standard.{size}"]
        why = "het gewone percentage"
    explain.step("rate", f"Steunpercentage voor een {SIZE_LABELS[size]}: {format_percentage(chosen.decimal)} "
                         f"({why}, voor aanvragen vanaf {format_date(chosen.start)}).", _money.text(chosen.decimal),
                 chosen)
    return chosen.decimal, chosen


def werkbaar_werk_top_up(request: Request, rules: RuleSet, explain: Explanation) -> Decimal:
    """During a werkbaar-werk window the ceiling rises by at most 5.000 euro for an action on workable work (VLAIO, Vlaanderen.be)."""
    if not request.werkbaar_werk:
        return _money.ZERO
    day = request.application_date
    for window in rules.data.windows:
        if window.start <= day <= window.end:
            explain.step("werkbaar_werk", f"{window.label}: het plafond stijgt met hoogstens "
                                          f"{format_amount(window.max_top_up, cents=False)}.",
                         _money.text(window.max_top_up), window.source)
            return window.max_top_up
    for window in rules.data.windows:
        late = (day - window.end).days
        if window.uncertain and 0 < late <= window.uncertain_after_days:
            explain.warn("uncertain.werkbaar_werk", window.uncertain)
    explain.warn("werkbaar_werk_no_window",
                 f"Op {format_date(day)} liep er geen oproep voor werkbaar werk: de rekenhulp rekent zonder "
                 "verhoging van het plafond.")
    return _money.ZERO


def ceiling(size: str, request: Request, rules: RuleSet, explain: Explanation) -> Decimal:
    """One yearly ceiling per enterprise for training and advice together, raised for werkbaar werk where it applies (VLAIO)."""
    if size == "large":
        return _money.ZERO
    base = rules[f"ceiling.{size}"]
    explain.step("ceiling", f"Jaarplafond voor een {SIZE_LABELS[size]} in {request.application_date.year}: "
                            f"{format_amount(base.decimal, cents=False)}.", _money.text(base.decimal), base)
    return _money.cents(base.decimal + werkbaar_werk_top_up(request, rules, explain))


def vat(invoice_excl_vat: Decimal, vat_rate: Decimal) -> Decimal:
    """VAT is never subsidised; it is due on the whole invoice, catering included (VLAIO)."""
    return _money.cents(invoice_excl_vat * vat_rate)


def support(support_rate: Decimal, eligible_cost: Decimal, available: Decimal) -> Decimal:
    """Support is the rate times the eligible cost, but never more than what is left of this year's ceiling (VLAIO)."""
    return min(_money.cents(support_rate * eligible_cost), available)


def vat_rate_used(request: Request, rules: RuleSet, explain: Explanation) -> Decimal:
    """Without a VAT rate the usual Belgian rate of 21 % is assumed (FOD Financiën)."""
    if request.vat_rate is not None:
        return request.vat_rate
    default = rules["vat.default_rate"]
    explain.step("vat_rate", f"Geen btw-tarief opgegeven: de rekenhulp rekent met {format_percentage(default.decimal)}.",
                 _money.text(default.decimal), default)
    return default.decimal




def net_cost(outlay: Decimal, vat_amount: Decimal, deductible: bool, explain: Explanation) -> Decimal:
    """What the service really costs the enterprise: its own share and what it pays directly, less the VAT when it may deduct it (not a rule of the scheme: the enterprise's own sums)."""
    if deductible:
        net = outlay - vat_amount
        explain.step("net_cost", f"Nettokost: {format_amount(outlay)} − {format_amount(vat_amount)} btw die je "
                                 f"aftrekt = {format_amount(net)}.", _money.text(net))
        return net
    explain.step("net_cost", f"Nettokost: {format_amount(outlay)}; de btw telt mee, want je trekt ze niet af "
                             "(bijvoorbeeld als je onderneming vrijgesteld is van btw).", _money.text(outlay))
    return outlay
