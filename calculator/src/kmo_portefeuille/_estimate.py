"""One estimate: read the request, apply the rules of its date, explain each step."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from . import _amounts, _conditions, _deadlines, _eligibility, _money
from ._explain import Explanation
from ._format import format_amount, format_date, format_percentage
from ._params import RulesDateError, load, rules_for
from ._request import Codes, Request, parse_request
from ._size import decide_size

__all__ = ["estimate", "estimate_json"]


def estimate_json(text: str) -> str:
    """The JSON seam: a request as JSON text in, the answer as JSON text out.

    Numbers are read as ``Decimal`` (never float); text that is not JSON gives
    an error answer. The browser worker and the command line both use this.
    """
    request, error = _read_json(text)
    return json.dumps(error or estimate(request), ensure_ascii=False)


def _read_json(text: str) -> tuple[Any, dict | None]:
    """JSON text as Python values with ``Decimal`` numbers, or an error answer."""
    text = text[1:] if text.startswith("\ufeff") else text  # a byte-order mark from an editor on Windows
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_not_a_number), None
    except (ValueError, RecursionError):
        return None, {"errors": [{"field": "", "message": "De invoer is geen geldige JSON."}]}


def _not_a_number(name: str) -> Decimal:
    return Decimal("NaN")  # NaN / Infinity in JSON: refused by the checks as not a number


def estimate(request: Any) -> dict:
    """Estimate the kmo-portefeuille support for one application.

    ``request`` is a JSON-like dict (see the contract in ``schema/``). The
    answer is a JSON-ready dict: the amounts as decimal strings, the reasons,
    deadlines, warnings and steps; or ``{"errors": [...]}`` for a request that
    cannot be computed.
    """
    data = load()
    codes = Codes(themes=tuple(data.themes), legal_forms=tuple(data.legal_forms), topics=tuple(data.topics),
                  deliveries=tuple(data.deliveries))
    parsed, errors = parse_request(request, codes)
    if parsed is None:
        return {"errors": errors}
    try:
        rules = rules_for(parsed.application_date)
    except RulesDateError as exc:
        return {"errors": [{"field": "application_date", "message": str(exc)}]}
    errors = _theme_required(parsed, rules)
    if errors:
        return {"errors": errors}
    return _compute(parsed, rules)


def _theme_required(request: Request, rules) -> list[dict]:
    """From the date themes apply, a request must say its theme."""
    if request.theme is None and rules["themes.eligible"].value:
        since = format_date(rules["themes.eligible"].start)
        return [{"field": "theme", "message": f"Kies het thema: voor aanvragen vanaf {since} is dat nodig."}]
    return []


def _compute(request: Request, rules) -> dict:
    explain = Explanation(rules)
    day = request.application_date
    explain.step("rules_version", f"Regels voor een aanvraag ingediend op {format_date(day)}: de regels die "
                                  f"gelden sinds {format_date(rules.version)}.", rules.version.isoformat())
    if day > rules.data.checked:
        explain.warn("future_date", f"De regels werden laatst nagekeken op {format_date(rules.data.checked)}; voor "
                                    "een latere aanvraag kunnen ze intussen gewijzigd zijn.")

    size, decided_by, figures = decide_size(request.enterprise, rules, explain)

    catering_counted, catering_excess = _amounts.catering_split(request.catering, rules, explain)
    eligible_cost = _money.cents(request.cost + catering_counted)
    explain.step("eligible_cost", f"Subsidiabele kost: {format_amount(request.cost)} prijs exclusief btw"
                                  + (f" + {format_amount(catering_counted)} catering" if request.catering else "")
                                  + f" = {format_amount(eligible_cost)}.", _money.text(eligible_cost))

    rate, rate_rule = _amounts.rate(size, request.service, request.theme, rules, explain)
    ceiling = _amounts.ceiling(size, request, rules, explain)
    available = max(_money.ZERO, ceiling - request.support_used_this_year)
    if size != "large":
        explain.step("ceiling_available", f"Nog beschikbaar dit jaar: {format_amount(ceiling)} − "
                                          f"{format_amount(request.support_used_this_year)} al gebruikt = "
                                          f"{format_amount(available)}.", _money.text(available))

    apply_by = _deadlines.apply_by(request.start_date, rules, explain)
    reasons = _eligibility.reasons(request, size, eligible_cost, apply_by, available, rules, explain)
    if size != "large":
        # The de-minimis ceiling counts the support this application would get.
        would_get = _amounts.support(rate, eligible_cost, available)
        de_minimis = _conditions.de_minimis_room(request.de_minimis_received, would_get, rules, explain)
        reasons += [de_minimis] if de_minimis else []
    eligible = not reasons

    if eligible:
        support = _amounts.support(rate, eligible_cost, available)
        capped = support < _money.cents(rate * eligible_cost)
        explain.step("support", f"Steun: {format_percentage(rate)} × {format_amount(eligible_cost)} = "
                                f"{format_amount(_money.cents(rate * eligible_cost))}"
                                + (f", begrensd tot wat er van het plafond over is: {format_amount(support)}."
                                   if capped else "."), _money.text(support), rate_rule)
    else:
        support = _money.ZERO
        explain.step("support", "Geen steun: de aanvraag voldoet niet aan alle voorwaarden.", _money.text(support))
    own_share = eligible_cost - support
    explain.step("own_share", f"Eigen aandeel om te storten: {format_amount(eligible_cost)} − "
                              f"{format_amount(support)} = {format_amount(own_share)}.", _money.text(own_share))

    vat_rate = _amounts.vat_rate_used(request, rules, explain)
    catering_total = catering_counted + catering_excess
    invoice_excl_vat = request.cost + catering_total
    vat = _amounts.vat(invoice_excl_vat, vat_rate)
    paid_directly = vat + catering_excess
    explain.step("paid_directly", f"Rechtstreeks aan de dienstverlener: btw {format_amount(vat)} "
                                  f"({format_percentage(vat_rate)} op {format_amount(invoice_excl_vat)})"
                                  + (f" + catering boven het maximum {format_amount(catering_excess)}"
                                     if catering_excess else "")
                                  + f" = {format_amount(paid_directly)}.", _money.text(paid_directly))

    ceiling_left = available - support
    net_cost = _amounts.net_cost(own_share + paid_directly, vat, request.vat_deductible, explain)
    deposit_by = _deadlines.deposit_by(day, rules, explain)
    complete_by = _deadlines.complete_by(day, rules, explain)
    if not eligible:
        explain.warn("not_eligible_pay_all", "Zonder steun betaal je de hele factuur zelf aan de dienstverlener.")

    return {
        "eligible": eligible,
        "size": size,
        "size_decided_by": decided_by,
        "figures": figures.as_dict() if figures else None,
        "rate": _money.text(rate),
        "rate_rule": rate_rule.id if rate_rule else None,
        "eligible_cost": _money.text(eligible_cost),
        "support": _money.text(support),
        "own_share": _money.text(own_share),
        "paid_directly": _money.text(paid_directly),
        "vat": _money.text(vat),
        "non_eligible": _money.text(catering_excess),
        "invoice_total": _money.text(invoice_excl_vat + vat),
        "total_outlay": _money.text(own_share + paid_directly),
        "net_cost": _money.text(net_cost),
        "ceiling": _money.text(ceiling),
        "ceiling_left": _money.text(ceiling_left),
        "deadlines": {
            "apply_by": apply_by.isoformat(),
            "complete_by": complete_by.isoformat(),
            "deposit_by": deposit_by.isoformat(),
        },
        "reasons": reasons,
        "warnings": explain.warnings,
        "assumptions": explain.assumptions,
        "steps": explain.steps,
        "rules_version": rules.version.isoformat(),
    }
