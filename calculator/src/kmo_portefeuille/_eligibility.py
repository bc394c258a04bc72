"""The conditions an application must meet; each gives a reason when it fails.

Every failed condition is reported (not only the first), each with a stable
``code`` and a Dutch ``message``.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from . import _conditions
from ._explain import Explanation
from ._format import format_amount, format_date
from ._params import RuleSet
from ._request import Request

__all__ = ["reasons"]

SERVICE_LABELS = {"training": "opleiding", "advice": "advies"}


def _reason(code: str, message: str) -> dict:
    return {"code": code, "message": message}


def size_allowed(size: str) -> dict | None:
    """Large enterprises cannot use the kmo-portefeuille (Recommendation 2003/361/EC)."""
    if size == "large":
        return _reason("size_large", "Een grote onderneming komt niet in aanmerking: de kmo-portefeuille is er "
                                     "alleen voor kleine en middelgrote ondernemingen.")
    return None


def minimum_cost(service: str, eligible_cost: Decimal, rules: RuleSet, explain: Explanation) -> dict | None:
    """Training must cost at least 100 euro and advice at least 500 euro, excluding VAT, catering counted up to its cap (VLAIO)."""
    minimum = rules[f"minimum.{service}"]
    explain.step("minimum", f"Minimumbedrag voor {SERVICE_LABELS[service]}: "
                            f"{format_amount(minimum.decimal, cents=False)} exclusief btw.",
                 str(minimum.decimal), minimum)
    if eligible_cost < minimum.decimal:
        return _reason("below_minimum",
                       f"De subsidiabele kost ({format_amount(eligible_cost)}) ligt onder het minimum van "
                       f"{format_amount(minimum.decimal, cents=False)} voor {SERVICE_LABELS[service]}.")
    return None


def registered_provider(registered: bool) -> dict | None:
    """Only services from a registered provider are supported (VLAIO)."""
    if not registered:
        return _reason("provider_not_registered",
                       "De dienstverlener is niet geregistreerd voor de kmo-portefeuille; zijn diensten komen niet "
                       "in aanmerking.")
    return None


def on_time(application: _dt.date, due: _dt.date) -> dict | None:
    """The application must be submitted at the latest 14 calendar days after the start (VLAIO)."""
    if application > due:
        return _reason("application_too_late",
                       f"De aanvraag komt te laat: ze moest uiterlijk op {format_date(due)} ingediend zijn.")
    return None


def theme_allowed(theme: str | None, rules: RuleSet, explain: Explanation) -> dict | None:
    """From 1 January 2023 only training and advice within the forward-looking themes qualify (VLAIO reform)."""
    themes = rules["themes.eligible"]
    if not themes.value:
        return None
    if theme in themes.value:
        explain.step("theme", f"Het thema {rules.theme_label(theme)} is een van de toekomstgerichte thema's.",
                     theme, themes)
        explain.doubt(themes, theme)
        return None
    return _reason("theme_not_eligible",
                   f"Sinds {format_date(themes.start)} komen alleen opleidingen en adviezen binnen de "
                   "toekomstgerichte thema's in aanmerking; dit onderwerp valt erbuiten.")


def advice_subject_allowed(service: str, theme: str | None, rules: RuleSet, explain: Explanation) -> dict | None:
    """From 1 February 2026 advice qualifies only when its subject is cybersecurity (VLAIO reform 2026)."""
    allowed = rules["advice.allowed_themes"]
    if service != "advice" or not allowed.value:
        return None
    if theme in allowed.value:
        explain.step("advice_subject", "Het advies gaat over cyberveiligheid en komt dus nog in aanmerking.",
                     theme, allowed)
        return None
    subjects = ", ".join(rules.theme_label(code).lower() for code in allowed.value)
    return _reason("advice_subject_not_allowed",
                   f"Sinds {format_date(allowed.start)} komt een advies alleen nog in aanmerking als het over "
                   f"{subjects} gaat.")


def ceiling_left(available: Decimal) -> dict | None:
    """No support is left when this year's ceiling has been used up (VLAIO)."""
    if available <= 0:
        return _reason("ceiling_reached", "Het plafond van dit kalenderjaar is al opgebruikt: er is geen steun meer "
                                          "over voor deze aanvraag.")
    return None


def reasons(request: Request, size: str, eligible_cost: Decimal, due: _dt.date, available: Decimal,
            rules: RuleSet, explain: Explanation) -> list[dict]:
    """Every condition that fails, in a fixed order (the de-minimis ceiling follows the support: see ``_estimate``)."""
    found = [
        *_conditions.enterprise_reasons(request.enterprise, rules, explain),
        size_allowed(size),
        registered_provider(request.registered_provider),
        *_conditions.service_reasons(request, rules, explain),
        on_time(request.application_date, due),
        theme_allowed(request.theme, rules, explain),
        advice_subject_allowed(request.service, request.theme, rules, explain),
        minimum_cost(request.service, eligible_cost, rules, explain),
        ceiling_left(available) if size != "large" else None,
    ]
    return [r for r in found if r is not None]
