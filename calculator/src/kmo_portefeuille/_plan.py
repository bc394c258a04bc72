"""A year plan: several applications of one enterprise against the yearly ceiling.

Every application is computed by ``estimate`` itself, in the order of its
application date, with the support already used in its calendar year: what
the enterprise received outside the plan (``support_used``) plus the support
of the plan's earlier applications that year. The size is fixed at the first
application of each calendar year. A cancelled application gets no support;
what it held returns to the ceiling from the day of the cancellation, but only
when that day falls in the same calendar year (VLAIO, subsidies stopzetten).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from decimal import Decimal
from typing import Any

from . import _money
from ._estimate import _read_json, estimate
from ._format import format_amount, format_date
from ._request import FIRST_DAY, LAST_DAY, _Reader

__all__ = ["plan", "plan_json", "MAX_APPLICATIONS"]

MAX_APPLICATIONS = 100
_YEAR = re.compile(r"^[0-9]{4}$")
#: Fields the plan computes or holds once for all applications.
_PLAN_OWNS = {"enterprise": "Geef de onderneming één keer op, voor de hele planning.",
              "support_used_this_year": "De planning berekent dit zelf; geef steun van buiten de planning op "
                                        "per jaar, in support_used."}


def plan_json(text: str) -> str:
    """The JSON seam for ``plan``: a plan as JSON text in, the answer as JSON text out."""
    request, error = _read_json(text)
    return json.dumps(error or plan(request), ensure_ascii=False)


def plan(request: Any) -> dict:
    """Compute a plan of applications for one enterprise; see the module docstring.

    The answer keeps the order given: ``applications`` (each an ``estimate``
    answer plus ``cancelled``), ``years`` (ceiling, support, ceiling_left per
    calendar year), or ``{"errors": [...]}`` with fields like ``applications.1.cost``.
    """
    parsed = _parse(request)
    if "errors" in parsed:
        return {"errors": _unique(parsed["errors"] + _each_application_errors(parsed, request))}
    apps, used_outside = parsed["applications"], parsed["support_used"]
    order = sorted(range(len(apps)), key=lambda i: apps[i]["day"])  # stable: same day keeps the order given
    answers: list[dict | None] = [None] * len(apps)
    held: list[tuple[int, Decimal]] = []  # (index, support) of the applications computed so far
    sizes: dict[int, str] = {}
    errors: list[dict] = []
    for i in order:
        app = apps[i]
        year = app["day"].year
        used = used_outside.get(year, _money.ZERO) + sum(
            (support for j, support in held if apps[j]["day"].year == year and _still_held(apps[j], app["day"])),
            _money.ZERO)
        answer = estimate(_request_for(app, request["enterprise"], used, sizes.get(year)))
        if "errors" in answer:
            errors += [_at(i, e) for e in answer["errors"]]
            continue
        if year not in sizes and answer["size"] in ("small", "medium"):
            sizes[year] = answer["size"]
        held.append((i, Decimal(answer["support"])))
        answers[i] = _with_cancellation(answer, app)
    if errors:
        return {"errors": _unique(errors)}
    return {"applications": answers, "years": _years(apps, answers, held, used_outside)}


def _each_application_errors(parsed: dict, request: Any) -> list[dict]:
    """With the plan itself invalid, still name every problem of its applications at once."""
    errors = []
    for i, app in enumerate(parsed.get("applications", [])):
        if app.get("request") is not None:
            answer = estimate({**app["request"], "enterprise": request.get("enterprise")})
            errors += [_at(i, e) for e in answer.get("errors", [])]
    return errors


def _still_held(earlier: dict, day: _dt.date) -> bool:
    """An earlier application's support still counts on ``day`` unless it was cancelled that year, on or before ``day``."""
    cancelled = earlier["cancelled_on"]
    return not (cancelled and cancelled.year == earlier["day"].year and cancelled <= day)


def _request_for(app: dict, enterprise: Any, used: Decimal, size: str | None) -> dict:
    request = {**app["request"], "enterprise": enterprise, "support_used_this_year": _money.text(used)}
    if size and isinstance(enterprise, dict) and not enterprise.get("size"):
        request["enterprise"] = {**enterprise, "size": size}
    return request


def _with_cancellation(answer: dict, app: dict) -> dict:
    """A cancelled application: no support, and what happens to the support it held."""
    cancelled = app["cancelled_on"]
    answer = {**answer, "cancelled": bool(cancelled)}
    if not cancelled:
        return answer
    reserved = Decimal(answer["support"])
    if cancelled.year == app["day"].year:
        what = (f"de {format_amount(reserved)} die ze vasthield, komt vanaf die dag terug in het plafond van "
                f"{app['day'].year}.")
    else:
        what = (f"omdat dat in een later jaar is, komt de {format_amount(reserved)} die ze vasthield niet terug in "
                f"het plafond van {app['day'].year}.")
    answer["warnings"] = answer["warnings"] + [{
        "code": "cancelled",
        "message": f"Stopgezet op {format_date(cancelled)}: deze aanvraag krijgt geen steun, en {what}",
    }]
    answer["reserved_support"] = answer["support"]
    answer["support"] = _money.text(_money.ZERO)
    return answer


def _years(apps: list[dict], answers: list[dict], held, used_outside: dict) -> dict:
    years: dict[str, dict] = {}
    for i, answer in enumerate(answers):
        year = apps[i]["day"].year
        entry = years.setdefault(str(year), {"ceiling": _money.ZERO, "support": _money.ZERO, "lost": _money.ZERO})
        entry["ceiling"] = max(entry["ceiling"], Decimal(answer["ceiling"]))
        entry["support"] += Decimal(answer["support"])
        cancelled = apps[i]["cancelled_on"]
        if cancelled and cancelled.year != year:
            entry["lost"] += Decimal(answer["reserved_support"])
    out = {}
    for year in sorted(years):
        entry = years[year]
        outside = used_outside.get(int(year), _money.ZERO)
        left = max(_money.ZERO, entry["ceiling"] - outside - entry["support"] - entry["lost"])
        out[year] = {"ceiling": _money.text(entry["ceiling"]), "support_used_outside": _money.text(outside),
                     "support": _money.text(entry["support"]), "ceiling_left": _money.text(left)}
    return out


def _at(index: int, error: dict) -> dict:
    field = error["field"]
    if field.startswith("enterprise"):
        return error
    return {"field": f"applications.{index}" + (f".{field}" if field else ""), "message": error["message"]}


def _unique(errors: list[dict]) -> list[dict]:
    seen, out = set(), []
    for error in errors:
        key = (error["field"], error["message"])
        if key not in seen:
            seen.add(key)
            out.append(error)
    return out


# --- reading a plan ----------------------------------------------------------------


def _parse(raw: Any) -> dict:
    reader = _Reader()
    obj = reader.object(raw, "", "De planning")
    if obj is None:
        return {"errors": reader.errors}
    if obj.get("enterprise") is None:
        reader.error("enterprise", "Vul de gegevens van de onderneming in.")
    apps_raw = obj.get("applications")
    apps: list[dict] = []
    if not isinstance(apps_raw, list):
        reader.error("applications", "De aanvragen moeten een lijst zijn.")
    elif not apps_raw:
        reader.error("applications", "Voeg minstens één aanvraag toe.")
    elif len(apps_raw) > MAX_APPLICATIONS:
        reader.error("applications", f"Een planning telt hoogstens {MAX_APPLICATIONS} aanvragen.")
    else:
        apps = [_application(reader, item, i) for i, item in enumerate(apps_raw)]
    used = _support_used(reader, obj.get("support_used"))
    if reader.errors:
        return {"errors": reader.errors, "applications": apps}
    return {"applications": apps, "support_used": used}


def _application(reader: _Reader, raw: Any, index: int) -> dict:
    base = f"applications.{index}"
    obj = reader.object(raw, base, "Een aanvraag")
    if obj is None:
        return {}
    for key, message in _PLAN_OWNS.items():
        if key in obj:
            reader.error(f"{base}.{key}", message)
    day = reader.date(obj, "application_date", f"{base}.application_date", "de datum van de aanvraag")
    cancelled = None
    if obj.get("cancelled_on") not in (None, ""):
        cancelled = reader.date(obj, "cancelled_on", f"{base}.cancelled_on", "de datum van de stopzetting")
        if cancelled and day and cancelled < day:
            reader.error(f"{base}.cancelled_on", "Een aanvraag kan niet stopgezet zijn vóór ze ingediend werd.")
    request = {k: v for k, v in obj.items() if k != "cancelled_on" and k not in _PLAN_OWNS}
    return {"request": request, "day": day, "cancelled_on": cancelled}


def _support_used(reader: _Reader, raw: Any) -> dict[int, Decimal]:
    if raw is None:
        return {}
    obj = reader.object(raw, "support_used", "De steun van buiten de planning")
    if obj is None:
        return {}
    used = {}
    for key in obj:
        field = f"support_used.{key}"
        if not (isinstance(key, str) and _YEAR.match(key) and FIRST_DAY.year <= int(key) <= LAST_DAY.year):
            reader.error(field, f"{str(key)[:12]!r} is geen jaartal: geef de steun per jaar, zoals \"2026\": 1500.")
            continue
        amount = reader.number(obj, key, field, what="de steun die je dat jaar al kreeg")
        if amount is not None:
            used[int(key)] = amount
    return used
