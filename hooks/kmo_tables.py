"""MkDocs hook: fills the ``<!-- kmo:... -->`` markers in the pages with the
figures of the rules package (``kmo_portefeuille.rules_data()``).

The pages never type a figure that the rules package knows: they place a
marker, and this hook renders it with a jinja2 template from
``hooks/templates/``. Markers:

``<!-- kmo:tabel NAAM -->``
    a table (see ``TABLES`` below for the names), with its sources.
``<!-- kmo:waarde PARAM_ID -->`` / ``<!-- kmo:waarde PARAM_ID op JJJJ-MM-DD -->``
    the value of one parameter today (or on that date), formatted by unit.
``<!-- kmo:sinds PARAM_ID -->``
    the date from which the current value of the parameter applies.
``<!-- kmo:bron BRON_ID -->``
    a link to one source of ``rules_data()["sources"]``.
``<!-- kmo:voorbeeld sleutel=waarde ... -->``
    a worked example (support, own share, VAT), computed from the parameters
    (keys: see ``EXAMPLE_KEYS``).
``<!-- kmo:voorbeeld-termijnen start=JJJJ-MM-DD aanvraag=JJJJ-MM-DD -->``
    the deadlines for one application, computed from the parameters.

Any other ``<!-- kmo:... -->`` comment stops the build with the page and the
marker. Every page must also carry ``laatst_gecontroleerd: JJJJ-MM-DD`` in its
front matter; the theme override shows it as "Laatst gecontroleerd: ...".

"Today" is the build date; set ``KMO_PEILDATUM=JJJJ-MM-DD`` to build the site
as it would look on another day (tests use this).
"""

from __future__ import annotations

import datetime as _dt
import os
import posixpath
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from mkdocs.exceptions import PluginError

import kmo_portefeuille
from kmo_portefeuille import format_amount, format_date, format_percentage

TEMPLATES = Path(__file__).resolve().parent / "templates"

# A marker: an HTML comment whose text starts with "kmo:".
MARKER = re.compile(r"<!--\s*kmo:(?P<body>.*?)-->", re.S)
MARKER_START = re.compile(r"<!--\s*kmo:")

TABLES = (
    "kerncijfers",
    "steunpercentages",
    "plafonds",
    "kmo-drempels",
    "minimumbedragen",
    "themas",
    "werkbaar-werk",
    "tijdlijn",
    "termijnen",
    "bronnen",
)

# What a source supports, by the first part of the parameter id (for the list of sources).
TOPICS = {
    "rate": "steunpercentages",
    "raised": "verhoogd steunpercentage",
    "ceiling": "jaarplafond",
    "minimum": "minimumbedragen",
    "catering": "catering",
    "deadline": "termijnen",
    "size": "kmo-drempels",
    "related": "partner- en verbonden ondernemingen",
    "themes": "thema's",
    "advice": "onderwerp van een advies",
    "vat": "btw",
}

SIZES = {"klein": "small", "middelgroot": "medium"}
SIZE_WORDS = {"small": "kleine onderneming", "medium": "middelgrote onderneming"}
KINDS = {"opleiding": "training", "advies": "advice"}
EXAMPLE_KEYS = {"grootte", "dienst", "datum", "kost", "thema", "al_ontvangen",
                "deelnemers", "dagen", "catering", "btw"}
CENT = Decimal("0.01")


class MarkerError(Exception):
    """A marker that cannot be rendered (the hook turns it into a PluginError)."""


def peildatum() -> _dt.date:
    """The day whose rules the site calls "current": the build date in Flanders
    (Europe/Brussels, whatever the build machine's clock zone), unless
    ``KMO_PEILDATUM`` overrides it."""
    text = os.environ.get("KMO_PEILDATUM")
    if text:
        return _dt.date.fromisoformat(text)
    return _dt.datetime.now(ZoneInfo("Europe/Brussels")).date()


def _money(x) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def _number(x) -> str:
    d = Decimal(str(x)).normalize()
    text = f"{d:f}"
    if "." in text:
        whole, frac = text.split(".")
    else:
        whole, frac = text, ""
    whole = f"{int(whole):,}".replace(",", ".")
    return whole + ("," + frac if frac else "")


def amount(x) -> str:
    """``€ 7.500`` for whole euros, ``€ 7.500,50`` otherwise."""
    d = Decimal(str(x))
    return format_amount(d, cents=d != d.to_integral_value())


def amount_cents(x) -> str:
    return format_amount(_money(x), cents=True)


def cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    # Collapse ordinary whitespace only: the non-breaking spaces of amounts stay.
    return re.sub(r"[ \t\r\n]+", " ", str(text)).strip().replace("|", "\\|")


def link(source: dict) -> str:
    title = source["title"].replace("[", "(").replace("]", ")")
    return f"[{cell(title)}]({source['url']})"


def join_words(items) -> str:
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " en " + items[-1]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _short_theme(label: str) -> str:
    """'Cyberveiligheid (binnen digitalisering)' -> 'cyberveiligheid', for use inside a sentence."""
    return _lower_first(re.sub(r"\s*\(binnen [^)]*\)", "", label))


class Refs:
    """Numbered source references for one table: cells show linked numbers, the list follows the table."""

    def __init__(self):
        self.items: list[dict] = []

    def __call__(self, sources) -> str:
        if isinstance(sources, dict) or sources is None:
            sources = [sources]
        numbers = []
        for source in sources:
            if not source:
                continue
            ids = [s["id"] for s in self.items]
            if source["id"] not in ids:
                self.items.append(source)
                ids.append(source["id"])
            n = ids.index(source["id"]) + 1
            if n not in numbers:
                numbers.append(n)
        return ", ".join(
            f'[{n}]({self.items[n - 1]["url"]} "{cell(self.items[n - 1]["title"]).replace(chr(34), chr(39))}")'
            for n in numbers) or "—"

    def render(self) -> str:
        if not self.items:
            return ""
        lines = "\n".join(f"{i}. {link(s)}" for i, s in enumerate(self.items, 1))
        return f'<div class="kmo-tabelbronnen" markdown>\n\nBronnen bij deze tabel:\n\n{lines}\n\n</div>'


class Renderer:
    """Renders the markers of one page from one copy of the rules data."""

    def __init__(self, data: dict, today: _dt.date | None = None):
        self.data = data
        self.today = today or peildatum()
        self.cited: dict[str, list[tuple[str, str]]] = {}  # source id -> [(page title, page uri)]
        self.page = "index.md"
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,
        )
        self.env.filters.update(
            amount=amount, amount_cents=amount_cents, pct=format_percentage,
            date=format_date, cell=cell, link=link, number=_number,
        )
        self.env.globals.update(cur=self.current, at=self.value_at, fmt=self.format_value,
                                theme=self.theme_label, links=self.links, today=self.today,
                                period=self.period)

    # --- data access ---------------------------------------------------------

    def parameter(self, pid: str) -> dict:
        try:
            return self.data["parameters"][pid]
        except KeyError:
            raise MarkerError(f"onbekende parameter {pid!r}") from None

    def value_at(self, pid: str, day: _dt.date | str) -> dict | None:
        """The value row of ``pid`` for an application on ``day`` (None before its first value)."""
        iso = day if isinstance(day, str) else day.isoformat()
        found = None
        for row in sorted(self.parameter(pid)["values"], key=lambda r: r["from"]):
            if row["from"] <= iso:
                found = row
        return found

    def current(self, pid: str) -> dict:
        """The value of ``pid`` today, ready for a template."""
        spec = self.parameter(pid)
        row = self.value_at(pid, self.today)
        if row is None:
            raise MarkerError(f"parameter {pid!r} heeft nog geen waarde op {self.today.isoformat()}")
        return {
            "id": pid,
            "label": spec["label"],
            "unit": spec["unit"],
            "value": row["value"],
            "text": self.format_value(spec["unit"], row["value"]),
            "since": row["from"],
            "source": row["source"],
            "uncertain": row["uncertain"],
        }

    def theme_label(self, code: str) -> str:
        return self.data["themes"].get(code, code)

    def format_value(self, unit: str, value, inline: bool = False) -> str:
        if unit == "percentage":
            return format_percentage(value)
        if unit == "eur":
            return amount(value)
        if unit in ("fte", "days", "years"):
            return _number(value)
        if unit == "themes":
            labels = [self.theme_label(c) for c in value]
            if inline:
                labels = [_short_theme(x) for x in labels]
            return join_words(labels) if labels else "geen"
        if unit == "flag":
            return "ja" if value else "nee"
        raise MarkerError(f"onbekende eenheid {unit!r}")

    def links(self, sources) -> str:
        """Markdown links to the distinct sources, in order, separated by '; '."""
        seen, out = set(), []
        for s in sources:
            if s and s["id"] not in seen:
                seen.add(s["id"])
                out.append(link(s))
        return "; ".join(out)

    def source(self, sid: str) -> dict:
        try:
            return self.data["sources"][sid]
        except KeyError:
            raise MarkerError(f"onbekende bron {sid!r}") from None

    # --- markers -------------------------------------------------------------

    def render(self, markdown: str, page: str = "?") -> str:
        self.page = page

        def replace(match: re.Match) -> str:
            body = " ".join(match.group("body").split())
            try:
                return self.marker(body)
            except MarkerError as exc:
                raise PluginError(f"kmo_tables: {page}: marker '<!-- kmo:{body} -->': {exc}") from None

        out = MARKER.sub(replace, markdown)
        left = MARKER_START.search(out)
        if left:
            raise PluginError(f"kmo_tables: {page}: marker zonder einde ('-->') bij "
                              f"{out[left.start():left.start() + 60]!r}")
        return out

    def marker(self, body: str) -> str:
        kind, _, rest = body.partition(" ")
        args = rest.split()
        if kind == "tabel":
            if len(args) != 1 or args[0] not in TABLES:
                raise MarkerError(f"onbekende tabel; bekende tabellen: {', '.join(TABLES)}")
            return "\n\n" + getattr(self, "table_" + args[0].replace("-", "_"))().strip() + "\n\n"
        if kind == "waarde":
            if len(args) == 1:
                row = self.current(args[0])
                return self.format_value(row["unit"], row["value"], inline=True)
            if len(args) == 3 and args[1] == "op":
                day = self._date(args[2])
                row = self.value_at(args[0], day)
                if row is None:
                    raise MarkerError(f"geen waarde op {day.isoformat()}")
                return self.format_value(self.parameter(args[0])["unit"], row["value"], inline=True)
            raise MarkerError("gebruik 'kmo:waarde PARAM_ID' of 'kmo:waarde PARAM_ID op JJJJ-MM-DD'")
        if kind == "sinds":
            if len(args) != 1:
                raise MarkerError("gebruik 'kmo:sinds PARAM_ID'")
            return format_date(self.current(args[0])["since"])
        if kind == "bron":
            if len(args) != 1:
                raise MarkerError("gebruik 'kmo:bron BRON_ID'")
            return link(self.source(args[0]))
        if kind == "voorbeeld":
            return "\n\n" + self.example(args).strip() + "\n\n"
        if kind == "voorbeeld-termijnen":
            return "\n\n" + self.deadline_example(args).strip() + "\n\n"
        raise MarkerError("onbekende marker; bekend: tabel, waarde, sinds, bron, voorbeeld, voorbeeld-termijnen")

    @staticmethod
    def _date(text: str) -> _dt.date:
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            raise MarkerError(f"ongeldige datum {text!r} (JJJJ-MM-DD)") from None

    def _relative(self, uri: str) -> str:
        """A link from the page being rendered to the Markdown file ``uri``."""
        return posixpath.relpath(uri, posixpath.dirname(self.page) or ".")

    def _template(self, name: str, **context) -> str:
        context.setdefault("refs", Refs())
        return self.env.get_template(name).render(**context)

    @staticmethod
    def period(start: str, end: str) -> str:
        """'7 mei tot 6 december 2019', or with both years when they differ."""
        a, b = format_date(start), format_date(end)
        if start[:4] == end[:4]:
            a = a.rsplit(" ", 1)[0]
        return f"{a} tot {b}"

    # --- tables --------------------------------------------------------------

    def table_kerncijfers(self) -> str:
        return self._template("kerncijfers.md.j2")

    def table_steunpercentages(self) -> str:
        pids = ["rate.standard.small", "rate.standard.medium", "rate.raised.small",
                "rate.raised.medium", "raised.training", "raised.advice"]
        dates = sorted({v["from"] for p in pids for v in self.parameter(p)["values"]})
        rows, notes, refs = [], [], Refs()
        for i, day in enumerate(dates):
            at = {p: self.value_at(p, day) for p in pids}
            training = at["raised.training"]["value"] if at["raised.training"] else []
            advice = at["raised.advice"]["value"] if at["raised.advice"] else []
            raised = None
            if at["rate.raised.small"] and (training or advice):
                raised = (f"{format_percentage(at['rate.raised.small']['value'])} / "
                          f"{format_percentage(at['rate.raised.medium']['value'])}")
            scope = []
            if training:
                scope.append("opleiding: " + join_words(_short_theme(self.theme_label(c)) for c in training))
            if advice:
                scope.append("advies: " + join_words(_short_theme(self.theme_label(c)) for c in advice))
            changed = [at[p] for p in pids if at[p] and at[p]["from"] == day]
            for row in changed:
                if row["uncertain"] and row["uncertain"] not in notes:
                    notes.append(row["uncertain"])
            rows.append({
                "from": day,
                "until": dates[i + 1] if i + 1 < len(dates) else None,
                "small": format_percentage(at["rate.standard.small"]["value"]),
                "medium": format_percentage(at["rate.standard.medium"]["value"]),
                "raised": raised,
                "scope": "; ".join(scope),
                "sources": refs([r["source"] for r in changed]),
            })
        return self._template("steunpercentages.md.j2", rows=rows, notes=notes, refs=refs)

    def table_plafonds(self) -> str:
        first = _dt.date.fromisoformat(self.data["meta"]["first_date"])
        changes = [v["from"] for p in ("ceiling.small", "ceiling.medium") for v in self.parameter(p)["values"]]
        last_year = max([self.today.year] + [int(c[:4]) for c in changes])
        rows, notes, refs = [], [], Refs()
        for year in range(first.year, last_year + 1):
            start = max(_dt.date(year, 1, 1), first).isoformat()
            end = f"{year}-12-31"
            cells = {}
            sources = []
            for size in ("small", "medium"):
                in_year = [v for v in self.parameter(f"ceiling.{size}")["values"]
                           if v["from"] <= end and (v["until"] is None or v["until"] >= start)]
                if len(in_year) == 1:
                    cells[size] = amount(in_year[0]["value"])
                else:
                    cells[size] = "; ".join(
                        f"{amount(v['value'])} vanaf {format_date(max(v['from'], start))}" for v in in_year)
                sources += [v["source"] for v in in_year]
            windows = [w for w in self.data["werkbaar_werk"] if w["from"][:4] <= str(year) <= w["to"][:4]]
            top_up = []
            for w in windows:
                text = f"tot {amount(w['max_top_up'])} extra, aanvragen van {self.period(w['from'], w['to'])}"
                if w["uncertain"]:
                    text += " (onzeker, zie hieronder)"
                    if w["uncertain"] not in notes:
                        notes.append(w["uncertain"])
                top_up.append(text)
                sources.append(w["source"])
            rows.append({"year": year, "from": start if start != f"{year}-01-01" else None,
                         "small": cells["small"], "medium": cells["medium"],
                         "top_up": "; ".join(top_up) or "—", "sources": refs(sources)})
        return self._template("plafonds.md.j2", rows=rows, notes=notes, refs=refs)

    def table_kmo_drempels(self) -> str:
        return self._template("kmo-drempels.md.j2")

    def table_minimumbedragen(self) -> str:
        return self._template("minimumbedragen.md.j2")

    def table_themas(self) -> str:
        eligible = self.current("themes.eligible")
        allowed = self.current("advice.allowed_themes")
        raised_t = self.current("raised.training")
        raised_a = self.current("raised.advice")
        rows = []
        for code in eligible["value"]:
            advice_ok = not allowed["value"] or code in allowed["value"]
            in_t, in_a = code in raised_t["value"], code in raised_a["value"] and advice_ok
            rows.append({
                "label": self.theme_label(code),
                "training": "ja",
                "advice": "ja" if advice_ok else "nee",
                "raised": ("opleiding en advies" if in_t and in_a else
                           "alleen opleiding" if in_t else "alleen advies" if in_a else "—"),
            })
        notes = [r["uncertain"] for r in (eligible, allowed, raised_t, raised_a) if r["uncertain"]]
        return self._template(
            "themas.md.j2", rows=rows, notes=list(dict.fromkeys(notes)),
            sources=self.links(r["source"] for r in (eligible, allowed, raised_t, raised_a)),
            advice_note=(f"Een advies komt sinds {format_date(allowed['since'])} alleen nog in aanmerking "
                         f"als het over {self.format_value('themes', allowed['value'], inline=True)} gaat."
                         if allowed["value"] else ""),
            rate_small=self.current("rate.raised.small")["text"],
            rate_medium=self.current("rate.raised.medium")["text"],
        )

    def table_werkbaar_werk(self) -> str:
        windows = sorted(self.data["werkbaar_werk"], key=lambda w: w["from"])
        notes = list(dict.fromkeys(w["uncertain"] for w in windows if w["uncertain"]))
        return self._template("werkbaar-werk.md.j2", windows=windows, notes=notes)

    def table_tijdlijn(self) -> str:
        return self._template("tijdlijn.md.j2", items=self.data["timeline"])

    def table_termijnen(self) -> str:
        years = int(self.current("deadline.complete_years")["value"])
        return self._template("termijnen.md.j2", complete=self._complete_rule(years))

    @staticmethod
    def _complete_rule(years: int) -> str:
        if years == 1:
            return "31 december van het jaar na het jaar van de aanvraag"
        return f"31 december van het {years}de jaar na het jaar van de aanvraag"

    def table_bronnen(self) -> str:
        topics: dict[str, set[str]] = {sid: set() for sid in self.data["sources"]}
        for pid, spec in self.data["parameters"].items():
            for v in spec["values"]:
                topics.setdefault(v["source"]["id"], set()).add(TOPICS.get(pid.split(".")[0], pid))
        for w in self.data["werkbaar_werk"]:
            topics.setdefault(w["source"]["id"], set()).add("werkbaar werk")
        for t in self.data["timeline"]:
            topics.setdefault(t["source"]["id"], set()).add("tijdlijn van de wijzigingen")
        rows = []
        for sid, source in sorted(self.data["sources"].items(), key=lambda kv: kv[1]["title"].lower()):
            pages = self.cited.get(sid, [])
            rows.append({
                "link": link(source),
                "topics": ", ".join(sorted(topics.get(sid, ()))) or "—",
                "pages": ", ".join(f"[{cell(title)}]({self._relative(uri)})" for title, uri in pages) or "—",
            })
        return self._template("bronnen.md.j2", rows=rows)

    # --- worked example --------------------------------------------------------

    def example(self, args: list[str]) -> str:
        """A worked example, computed by ``kmo_portefeuille.estimate`` itself."""
        opts = self._options(args, EXAMPLE_KEYS)
        for key in ("grootte", "dienst", "datum", "kost", "thema"):
            if key not in opts:
                raise MarkerError(f"argument {key}= ontbreekt")
        if opts["grootte"] not in SIZES:
            raise MarkerError("grootte moet klein of middelgroot zijn")
        if opts["dienst"] not in KINDS:
            raise MarkerError("dienst moet opleiding of advies zijn")
        catering_keys = ("deelnemers", "dagen", "catering")
        if any(k in opts for k in catering_keys) and not all(k in opts for k in catering_keys):
            raise MarkerError("catering vraagt deelnemers=, dagen= en catering=")
        size, kind, day = SIZES[opts["grootte"]], KINDS[opts["dienst"]], self._date(opts["datum"])
        request = {
            "application_date": day.isoformat(), "start_date": day.isoformat(), "service": kind,
            "theme": opts["thema"], "enterprise": {"size": size}, "cost": opts["kost"],
            "support_used_this_year": opts.get("al_ontvangen", "0"),
        }
        if "deelnemers" in opts:
            request["catering"] = {"participants": opts["deelnemers"], "days": opts["dagen"],
                                   "per_person_per_day": opts["catering"]}
        btw = opts.get("btw", "standaard")
        if btw != "standaard":
            request["vat_rate"] = "0" if btw == "geen" else btw
        result = self._estimate(request)
        uncapped = self._estimate({**request, "support_used_this_year": "0"})
        steps = {step["id"]: step for step in result["steps"]}
        cost, eligible = _money(request["cost"]), _money(result["eligible_cost"])
        support, ceiling = _money(result["support"]), _money(result["ceiling"])
        catering = None
        if "catering" in request:
            total = _money(result["eligible_cost"]) - cost + _money(result["non_eligible"])
            cap = _money(self.value_at("catering.cap", day)["value"])
            catering = {"people": int(opts["deelnemers"]), "days": int(opts["dagen"]),
                        "per_day": _money(opts["catering"]), "cap": cap, "total": total,
                        "counted": eligible - cost, "surplus": _money(result["non_eligible"])}
        vat = None
        if btw != "geen":
            vat = {"rate": Decimal(steps["vat_rate"]["figure"]) if "vat_rate" in steps else Decimal(btw),
                   "base": cost + (catering["total"] if catering else 0), "amount": _money(result["vat"])}
        sources = [steps[i]["source"] for i in ("rate", "ceiling", "minimum", "catering", "vat_rate")
                   if i in steps and "source" in steps[i]]
        return self._template(
            "voorbeeld.md.j2",
            size_word=SIZE_WORDS[size], kind=opts["dienst"], theme=_short_theme(self.theme_label(opts["thema"])),
            raised=(result["rate_rule"] or "").startswith("rate.raised."),
            day=day.isoformat(), cost=cost, catering=catering, eligible=eligible,
            rate=Decimal(result["rate"]), by_rate=_money(uncapped["support"]), ceiling=ceiling,
            received=_money(request["support_used_this_year"]), capped=support < _money(uncapped["support"]),
            remaining=_money(result["ceiling_left"]) + support, support=support, own=_money(result["own_share"]),
            vat=vat, direct=_money(result["paid_directly"]), own_total=_money(result["total_outlay"]),
            invoice=_money(result["invoice_total"]), sources=self.links(sources),
        )

    def deadline_example(self, args: list[str]) -> str:
        """The deadlines of one application, computed by ``kmo_portefeuille.estimate``."""
        opts = self._options(args, {"start", "aanvraag"})
        if set(opts) != {"start", "aanvraag"}:
            raise MarkerError("gebruik 'kmo:voorbeeld-termijnen start=JJJJ-MM-DD aanvraag=JJJJ-MM-DD'")
        start, applied = self._date(opts["start"]), self._date(opts["aanvraag"])
        result = self._estimate({
            "application_date": applied.isoformat(), "start_date": start.isoformat(), "service": "training",
            "theme": "professional_skills", "enterprise": {"size": "small"}, "cost": "1000",
        })
        steps = {step["id"]: step for step in result["steps"]}
        deadlines = result["deadlines"]
        complete_years = int(self.value_at("deadline.complete_years", applied)["value"])
        return self._template(
            "voorbeeld-termijnen.md.j2",
            start=start.isoformat(), applied=applied.isoformat(), last_apply=deadlines["apply_by"],
            apply_days=self.value_at("deadline.apply_days", applied)["value"],
            deposit_days=self.value_at("deadline.deposit_days", applied)["value"],
            deposit=deadlines["deposit_by"], complete=deadlines["complete_by"],
            complete_rule=self._complete_rule(complete_years),
            sources=self.links([steps[i]["source"] for i in ("apply_by", "deposit_by", "complete_by")]),
        )

    @staticmethod
    def _options(args: list[str], known) -> dict:
        opts = {}
        for arg in args:
            key, sep, value = arg.partition("=")
            if not sep or key not in known:
                raise MarkerError(f"onbekend argument {arg!r}; bekend: {', '.join(sorted(known))}")
            opts[key] = value
        return opts

    @staticmethod
    def _estimate(request: dict) -> dict:
        """Ask the rules package; an example that does not qualify is a mistake in the page."""
        result = kmo_portefeuille.estimate(request)
        if "errors" in result:
            raise MarkerError("; ".join(f"{e['field']}: {e['message']}" for e in result["errors"]))
        if not result["eligible"]:
            raise MarkerError("voorbeeld komt niet in aanmerking: " + "; ".join(r["message"] for r in result["reasons"]))
        return result


# --- MkDocs events ---------------------------------------------------------------

_renderer: Renderer | None = None


def on_pre_build(config, **kwargs) -> None:
    global _renderer
    _renderer = Renderer(kmo_portefeuille.rules_data())


def on_nav(nav, config, files, **kwargs):
    """Note which page cites which source (for the list of sources), before any page renders.

    Every page's markers are rendered once in advance; a source counts as cited
    on a page when its address appears in the result.
    """
    assert _renderer is not None
    cited: dict[str, list[tuple[str, str]]] = {}
    urls = {sid: s["url"] for sid, s in _renderer.data["sources"].items()}
    for page in nav.pages:
        text = page.file.content_string
        if "kmo:tabel bronnen" in text:
            continue
        try:
            rendered = _renderer.render(text, page.file.src_uri)
        except PluginError:
            continue  # reported with the page itself, in on_page_markdown
        title = page.title or page.file.src_uri
        for sid, url in urls.items():
            if f"({url}" in rendered:
                cited.setdefault(sid, []).append((title, page.file.src_uri))
    _renderer.cited = cited
    return nav


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    assert _renderer is not None
    name = page.file.src_uri
    checked = page.meta.get("laatst_gecontroleerd")
    if checked is None:
        raise PluginError(f"kmo_tables: {name}: front matter 'laatst_gecontroleerd: JJJJ-MM-DD' ontbreekt")
    if isinstance(checked, str):
        try:
            checked = _dt.date.fromisoformat(checked)
        except ValueError:
            raise PluginError(f"kmo_tables: {name}: ongeldige datum laatst_gecontroleerd {checked!r}") from None
    if isinstance(checked, _dt.datetime):
        checked = checked.date()
    page.meta["kmo_gecontroleerd"] = {"iso": checked.isoformat(), "tekst": format_date(checked)}
    return _renderer.render(markdown, name)
