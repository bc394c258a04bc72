"""MkDocs hook for the rekenhulp page (template ``rekenhulp.html``): what the
page gets at build time so that it is useful before Python runs in the browser.

* ``kmo_build_info_json``: build.py's build-info (the file named by the
  ``KMO_BUILD_INFO`` environment variable that build.py exports during the
  MkDocs build), as compact JSON for ``<script type="application/json"
  id="kmo-build-info">`` in the page's ``<head>`` (data, never executed:
  the CSP needs no hash for it; in ``<head>`` because Material's instant
  navigation re-creates the *content's* inline scripts without their
  ``type``). The page hands it to the worker in its first message, so the
  worker fetches the runtime at once instead of first fetching
  ``build-info.json`` (which it still does when this is absent).
* ``kmo_example``: the example the form opens with (``EXAMPLE``): the values
  of its fields as the form shows them.
* ``kmo_prerender``: the estimate for that example on the build day,
  computed by ``kmo_portefeuille.estimate`` in CPython and drawn by the page's
  own view (docs/assets/rekenhulp/view.js, run in Node by
  tools/prerender.mjs): one renderer for the build and the browser. The
  result area is marked ``data-state="prerendered"`` and says it is
  preliminary; rekenhulp.js replaces it with the live result once Python is
  ready, and hides it at once when the form holds another request. On
  another day than the build day it keeps the amounts only while the same
  rules apply (``data-valid-from`` .. ``data-valid-until``) and hides what
  depends on the dates.
* ``kmo_conditions``: the option lists of the form's "Voorwaarden" group
  (legal forms, deliveries, the excluded-service topics grouped by the date
  each was first excluded), from ``kmo_portefeuille.rules_data()``; the build
  fails when the data lacks one of them (``conditions_options``).

"Today" is hooks/kmo_tables.py's ``peildatum()`` (``KMO_PEILDATUM`` or the
build date), so the tables and the prerender agree on the day.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import subprocess
from html import escape
from pathlib import Path

import kmo_portefeuille
from decimal import Decimal

from kmo_portefeuille import format_amount, format_date
from kmo_tables import peildatum  # MkDocs puts hooks/ on sys.path while it loads a hook
from mkdocs.exceptions import PluginError

TEMPLATE = "rekenhulp.html"
PRERENDER_SCRIPT = Path(__file__).resolve().parent.parent / "tools" / "prerender.mjs"

#: The example the form opens with, in the contract's terms: a small
#: enterprise (8 VTE, € 900.000 turnover) and a € 2.000 training on
#: digitalisation. The dates are the day itself; the rest are the form's own
#: defaults (opleiding, 21 % btw, registered provider).
EXAMPLE = {
    "theme": "digitalisation",
    "enterprise": {"fte": "8", "turnover": "900000"},
    "cost": "2000",
}
#: The text fields of the example and their kind (format.js's toDisplay).
EXAMPLE_KINDS = {"enterprise.fte": "number", "enterprise.turnover": "amount", "cost": "amount"}


def default_request(day: _dt.date) -> dict:
    """What rekenhulp.js's ``request()`` sends for the form as it opens on ``day``."""
    return {"application_date": day.isoformat(), "start_date": day.isoformat(),
            "service": "training", "theme": EXAMPLE["theme"],
            "enterprise": dict(EXAMPLE["enterprise"]), "cost": EXAMPLE["cost"], "vat_rate": "0.21"}


def example_fields() -> dict[str, str]:
    """The example's text fields in the contract's terms: {"enterprise.fte": "8", ...}."""
    flat = {"cost": EXAMPLE["cost"]}
    flat.update({f"enterprise.{key}": value for key, value in EXAMPLE["enterprise"].items()})
    if set(flat) != set(EXAMPLE_KINDS):
        raise PluginError(f"rekenhulp_build: EXAMPLE and EXAMPLE_KINDS name other fields: {sorted(flat)}")
    return flat


SIZE_WORDS = {"small": "kleine", "medium": "middelgrote"}


def example_text(response: dict) -> str:
    """The example in one Dutch sentence, from ``EXAMPLE`` and its estimate."""
    themes = dict(kmo_portefeuille.rules_data()["themes"])
    fte = EXAMPLE["enterprise"]["fte"]
    turnover = format_amount(Decimal(EXAMPLE["enterprise"]["turnover"]), cents=False)
    cost = format_amount(Decimal(EXAMPLE["cost"]), cents=False)
    return (f"een {SIZE_WORDS[response['size']]} onderneming met {fte} werknemers en {turnover} "
            f"jaaromzet volgt een opleiding over {themes[EXAMPLE['theme']].lower()} die {cost} "
            "kost zonder btw")


def rule_period(day: _dt.date) -> tuple[str, str | None]:
    """The days around ``day`` on which no encoded rule changes, nor the warning for days after
    the rules were last checked: (first day, first day after or None), ISO dates."""
    data = kmo_portefeuille.rules_data()
    one = _dt.timedelta(days=1)
    bounds = {_dt.date.fromisoformat(v) for v in data["versions"]}
    for parameter in data["parameters"].values():
        for value in parameter["values"]:
            bounds.add(_dt.date.fromisoformat(value["from"]))
            if value["until"]:
                bounds.add(_dt.date.fromisoformat(value["until"]) + one)
    # After the day the rules were last checked, an estimate carries a warning.
    bounds.add(_dt.date.fromisoformat(data["meta"]["checked"]) + one)
    for window in data["werkbaar_werk"]:
        bounds.add(_dt.date.fromisoformat(window["from"]))
        bounds.add(_dt.date.fromisoformat(window["to"]) + one)
    start = max(b for b in bounds if b <= day)
    after = [b for b in bounds if b > day]
    return start.isoformat(), (min(after).isoformat() if after else None)


def _node() -> str:
    node = os.environ.get("KMO_NODE") or shutil.which("node")
    if not node:
        raise PluginError("rekenhulp_build: Node.js is needed to prerender the rekenhulp (tools/prerender.mjs)")
    return node


def render(response: dict, fields: dict[str, str]) -> dict:
    """The page's view of ``response`` as HTML, and ``fields`` as the form shows them (tools/prerender.mjs)."""
    payload = {"response": response, "fields": {name: [value, EXAMPLE_KINDS[name]] for name, value in fields.items()}}
    done = subprocess.run([_node(), str(PRERENDER_SCRIPT)], input=json.dumps(payload, ensure_ascii=False),
                          capture_output=True, text=True, encoding="utf-8", check=False)
    if done.returncode != 0:
        raise PluginError(f"rekenhulp_build: {PRERENDER_SCRIPT.name} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def prerender(day: _dt.date | None = None) -> dict:
    """{"request", "response", "fields", "html", "steps"} for the example on ``day`` (default: peildatum)."""
    day = day or peildatum()
    request = default_request(day)
    response = kmo_portefeuille.estimate(request)
    if "errors" in response or not response["eligible"]:
        raise PluginError(f"rekenhulp_build: the rekenhulp's example gives no estimate on {day}: "
                          f"{response.get('errors') or response.get('reasons')}")
    drawn = render(response, example_fields())
    valid_from, valid_until = rule_period(day)
    request_json = json.dumps(request, separators=(",", ":"), ensure_ascii=False)
    note = (f'<p class="kmo-rh__prerendered">Voorlopig: berekend bij het bouwen van de site, '
            f'op {escape(format_date(day))}, voor het voorbeeld in het formulier. '
            "Zodra de rekenhulp geladen is, rekent hij met wat er in het formulier staat.</p>")
    html = (f'<div class="kmo-rh__output" data-kmo="output" data-state="prerendered" '
            f'data-request="{escape(request_json)}" data-peildatum="{day.isoformat()}" '
            f'data-valid-from="{valid_from}" data-valid-until="{valid_until or ""}">'
            f'{note}{drawn["result"]}</div>')
    return {"request": request, "response": response, "fields": drawn["fields"],
            "html": html, "steps": drawn["steps"], "text": example_text(response)}


def _labels(data: dict, key: str) -> dict[str, str]:
    """rules_data()[key] as {code: label}; PluginError when it is missing or empty."""
    labels = data.get(key)
    if not isinstance(labels, dict) or not labels or not all(
            isinstance(code, str) and isinstance(label, str) and label for code, label in labels.items()):
        raise PluginError(f"rekenhulp_build: kmo_portefeuille.rules_data() has no {key!r} (code -> label) "
                          "for the rekenhulp's Voorwaarden")
    return labels


def _values(data: dict, parameter: str) -> list[dict]:
    """The dated values of a parameter; PluginError when it is missing."""
    values = data.get("parameters", {}).get(parameter, {}).get("values")
    if not values:
        raise PluginError(f"rekenhulp_build: kmo_portefeuille.rules_data() has no parameter {parameter!r}")
    return sorted(values, key=lambda value: value["from"])


def topic_groups(data: dict) -> list[dict]:
    """The excluded-service topics grouped by the date each was first excluded
    (``services.excluded``), then the health topic with the date from which it is
    for the target group only (``services.health_target_group_only``):
    [{"label": "Uitgesloten sinds 1 juli 2020", "options": [(code, label), ...]}, ...].
    Every topic of ``topics`` is in exactly one group, or the build fails."""
    topics = _labels(data, "topics")
    groups, seen = [], set()
    for value in _values(data, "services.excluded"):
        new = [code for code in value["value"] if code not in seen]
        seen.update(new)
        if new:
            groups.append({"label": f"Uitgesloten sinds {format_date(value['from'])}",
                           "options": [(code, topics.get(code)) for code in new]})
    health = [value for value in _values(data, "services.health_target_group_only") if value["value"] is True]
    left = [code for code in topics if code not in seen]
    if not health or left != ["health"]:
        raise PluginError("rekenhulp_build: the topics of rules_data() do not match services.excluded and "
                          f"services.health_target_group_only (not placed: {left})")
    groups.append({"label": f"Sinds {format_date(health[0]['from'])} alleen voor zorgberoepen",
                   "options": [("health", topics["health"])]})
    unknown = [code for group in groups for code, label in group["options"] if not label]
    if unknown:
        raise PluginError(f"rekenhulp_build: excluded topics without a label in rules_data()['topics']: {unknown}")
    return groups


def conditions_options(data: dict | None = None) -> dict:
    """The option lists of the "Voorwaarden" group, from the rules data (never typed in the template)."""
    data = data or kmo_portefeuille.rules_data()
    return {"legal_forms": list(_labels(data, "legal_forms").items()),
            "deliveries": list(_labels(data, "deliveries").items()),
            "topic_groups": topic_groups(data)}


def build_info_json() -> str | None:
    path = os.environ.get("KMO_BUILD_INFO")
    if not path or not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as fh:
        info = json.load(fh)
    text = json.dumps(info, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return text.replace("</", "<\\/")  # inside <script>, "</" would end the element


#: Other pages that use the rekenhulp's engine: they get the build info only.
ENGINE_TEMPLATES = ("planner.html", "dienstverleners.html")


def theme_options() -> list[tuple[str, str]]:
    """The theme codes and labels every form lists, from the rules data (the build fails without them)."""
    themes = kmo_portefeuille.rules_data().get("themes") or {}
    if not themes:
        raise PluginError("rekenhulp_build: rules_data() has no themes for the forms")
    return list(themes.items())


def on_page_context(context, page, config, nav, **kwargs):
    if page.meta.get("template") in ENGINE_TEMPLATES + (TEMPLATE,):
        context["kmo_themes"] = theme_options()
    if page.meta.get("template") in ENGINE_TEMPLATES:
        context["kmo_build_info_json"] = build_info_json()
        return context
    if page.meta.get("template") != TEMPLATE:
        return context
    context["kmo_build_info_json"] = build_info_json()
    done = prerender()
    context["kmo_prerender"] = done["html"]
    context["kmo_prerender_steps"] = done["steps"]
    context["kmo_conditions"] = conditions_options()
    context["kmo_example"] = {"fields": done["fields"], "theme": EXAMPLE["theme"], "text": done["text"]}
    return context
