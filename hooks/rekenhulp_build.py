"""MkDocs hook for the rekenhulp page (template ``rekenhulp.html``): what the
page gets at build time so that it is useful before Python runs in the browser.

* ``kmo_build_info_json``: build.py's build-info (the file named by the
  ``KMO_BUILD_INFO`` environment variable that build.py exports during the
  MkDocs build), as compact JSON for ``<script type="application/json"
  id="kmo-build-info">`` in the page's ``<head>`` (data, never executed:
  the CSP needs no hash for it; in ``<head>`` because Material's instant
  navigation re-creates the *content's* inline scripts without their
  ``type``). The page hands it to the worker in its first
  message, so the worker fetches the runtime at once instead of first
  fetching ``build-info.json`` (which it still does when this is absent).
* ``kmo_prerender``: the result area's HTML for the form as it opens (no
  query: dates = the build date, "opleiding", 21 % btw, the rest empty),
  computed by ``kmo_portefeuille.estimate`` itself and formatted with
  ``kmo_portefeuille.format_amount`` / ``format_date`` / ``format_percentage``
  (the rules of docs/assets/rekenhulp/format.js). It is marked
  ``data-state="prerendered"`` and says it is preliminary; rekenhulp.js
  replaces it with the live result (``data-state="live"``) once Python is
  ready, and hides it at once when the form holds another request (a link
  with a query, another day for a result that depends on the dates).

"Today" is hooks/kmo_tables.py's ``peildatum()`` (``KMO_PEILDATUM`` or the
build date), so the tables and the prerender agree on the day.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from decimal import Decimal
from html import escape

import kmo_portefeuille
from kmo_portefeuille import format_amount, format_date, format_percentage
from kmo_tables import peildatum  # MkDocs puts hooks/ on sys.path while it loads a hook

TEMPLATE = "rekenhulp.html"

#: Labels of the form's fields (overrides/rekenhulp.html), for the list of
#: what is still to fill in.
LABELS = {
    "enterprise.fte": "Werknemers, in voltijdse equivalenten (VTE)",
    "enterprise.turnover": "Jaaromzet in euro",
    "enterprise.balance_sheet_total": "Balanstotaal in euro",
    "cost": "Prijs zonder btw, in euro",
    "theme": "Thema",
    "application_date": "Datum van de steunaanvraag",
    "start_date": "Startdatum van de opleiding of het advies",
    "support_used_this_year": "Steun die je onderneming dit kalenderjaar al kreeg, in euro",
}
SIZE_WORDS = {"small": "kleine onderneming", "medium": "middelgrote onderneming", "large": "grote onderneming"}


def default_request(day: _dt.date) -> dict:
    """What rekenhulp.js's ``request()`` sends for the form as it opens (same key order)."""
    return {"application_date": day.isoformat(), "start_date": day.isoformat(),
            "service": "training", "enterprise": {}, "vat_rate": "0.21"}


def _field_id(name: str) -> str:
    return "kmo-f-" + name.replace(".", "-")


def _amount(value: str) -> str:
    return escape(format_amount(Decimal(value), cents=True))


def render_errors(errors: list[dict]) -> str:
    """Every field is empty and untouched: all go to "Nog in te vullen" (as renderErrors does)."""
    items = []
    for error in errors:
        label = LABELS.get(error["field"], "")
        text = f"{label}: {error['message']}" if label else error["message"]
        if label:
            fid = _field_id(error["field"])
            items.append(f'<li><a href="#{fid}" data-focus="{fid}">{escape(text)}</a></li>')
        else:
            items.append(f"<li>{escape(text)}</li>")
    return ('<div class="kmo-rh__summary"><h3>Nog in te vullen</h3><ul>'
            + "".join(items) + "</ul></div>")


def render_result(r: dict) -> str:
    """The key figures, as renderResult in rekenhulp.js shows them."""
    def figure(key, label):
        return (f'<div class="kmo-rh__figure"><dt>{label}</dt>'
                f'<dd data-result="{key}" data-value="{escape(r[key])}">{_amount(r[key])}</dd></div>')

    def deadline(key, label):
        day = r["deadlines"][key]
        return (f'<div class="kmo-rh__figure"><dt>{label}</dt>'
                f'<dd data-result="{key}" data-value="{escape(day)}">{escape(format_date(day))}</dd></div>')

    eligible = "true" if r["eligible"] else "false"
    parts = [
        f'<p class="kmo-rh__verdict kmo-rh__verdict--{"yes" if r["eligible"] else "no"}" '
        f'data-result="eligible" data-value="{eligible}">'
        f'{"Komt in aanmerking" if r["eligible"] else "Komt niet in aanmerking"}</p>',
        '<dl class="kmo-rh__figures">',
        figure("support", "Steun van de kmo-portefeuille"),
        figure("own_share", "Eigen aandeel om te storten"),
        figure("paid_directly", "Rechtstreeks aan de dienstverlener"),
        figure("total_outlay", "Wat je in totaal zelf betaalt"),
        figure("ceiling_left", "Nog over van je jaarplafond na deze aanvraag"),
        "</dl><h3>Termijnen</h3>",
        '<dl class="kmo-rh__figures kmo-rh__deadlines">',
        deadline("apply_by", "Aanvragen uiterlijk op"),
        deadline("deposit_by", "Eigen aandeel storten uiterlijk op"),
        deadline("complete_by", "Opleiding of advies afgerond op"),
        "</dl>",
        f'<p class="kmo-rh__about">Steunpercentage <strong data-result="rate" data-value="{escape(r["rate"])}">'
        f'{escape(format_percentage(r["rate"]))}</strong> voor een {SIZE_WORDS.get(r["size"], r["size"])}.</p>',
    ]
    return "".join(parts)


def prerender(day: _dt.date | None = None) -> dict:
    """{"request", "response", "html"} for the default form on ``day`` (default: peildatum)."""
    day = day or peildatum()
    request = default_request(day)
    response = kmo_portefeuille.estimate(request)
    if "errors" in response:
        body = render_errors(response["errors"])
        # The list of missing fields does not depend on the dates.
        dates = "ignored"
    else:
        body = render_result(response)
        dates = "used"
    request_json = json.dumps(request, separators=(",", ":"), ensure_ascii=False)
    note = (f'<p class="kmo-rh__prerendered">Voorlopig, berekend bij het bouwen van de site '
            f'(op {escape(format_date(day))}) voor het formulier zoals het opent. '
            "Zodra de rekenhulp geladen is, rekent hij met wat je invult.</p>")
    html = (f'<div class="kmo-rh__output" data-kmo="output" data-state="prerendered" '
            f'data-request="{escape(request_json)}" data-dates="{dates}" '
            f'data-peildatum="{day.isoformat()}">{note}{body}</div>')
    return {"request": request, "response": response, "html": html}


def build_info_json() -> str | None:
    path = os.environ.get("KMO_BUILD_INFO")
    if not path or not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as fh:
        info = json.load(fh)
    text = json.dumps(info, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return text.replace("</", "<\\/")  # inside <script>, "</" would end the element


def on_page_context(context, page, config, nav, **kwargs):
    if page.meta.get("template") != TEMPLATE:
        return context
    context["kmo_build_info_json"] = build_info_json()
    context["kmo_prerender"] = prerender()["html"]
    return context
