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

This file holds the marker parsing, the data access and the MkDocs events;
the tables themselves are in ``hooks/site_tables/``, one module per family
(see its ``__init__``), each with its templates in ``hooks/templates/``.
"""

from __future__ import annotations

import datetime as _dt
import posixpath
import re
import sys
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError

import kmo_portefeuille
from kmo_portefeuille import format_date, format_percentage

# MkDocs puts hooks/ on sys.path while it loads this file; so do we, for other loaders (the tests).
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_tables.amounts import AmountTables  # noqa: E402
from site_tables.common import (  # noqa: E402,F401  (re-exported for the tests and rekenhulp_build)
    TEMPLATES, MarkerError, Refs, amount, amount_cents, cell, join_words, link, lower_word, number, peildatum,
    short_theme)
from site_tables.conditions import CONDITIONS, ConditionTables  # noqa: E402,F401
from site_tables.deadlines import DeadlineTables  # noqa: E402
from site_tables.examples import EXAMPLE_KEYS, Examples  # noqa: E402,F401
from site_tables.sources import TOPICS, SourceTables  # noqa: E402,F401
from site_tables.themes import ThemeTables  # noqa: E402

# A marker: an HTML comment whose text starts with "kmo:".
MARKER = re.compile(r"<!--\s*kmo:(?P<body>.*?)-->", re.S)
MARKER_START = re.compile(r"<!--\s*kmo:")
TABLE_MARKER = re.compile(r"<!--\s*kmo:tabel\s+(?P<name>\S+)\s*-->")

FAMILIES = (AmountTables, DeadlineTables, ThemeTables, ConditionTables, SourceTables)
TABLES = tuple(name for family in FAMILIES for name in family.TABLES)


class Renderer(AmountTables, DeadlineTables, ThemeTables, ConditionTables, SourceTables, Examples):
    """Renders the markers of one page from one copy of the rules data."""

    def __init__(self, data: dict, today: _dt.date | None = None):
        self.data = data
        self.today = today or peildatum()
        self.cited: dict[str, list[tuple[str, str]]] = {}  # source id -> [(page title, page uri)]
        self.table_pages: dict[str, str] = {}  # table name -> uri of the page that shows it
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
            date=format_date, cell=cell, link=link, number=number,
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
            return number(value)
        if unit == "themes":
            labels = [self.theme_label(c) for c in value]
            if inline:
                labels = [short_theme(x) for x in labels]
            return join_words(labels) if labels else "geen"
        if unit == "flag":
            return "ja" if value else "nee"
        if unit in ("legal_forms", "topics", "nace"):
            label = {"legal_forms": self.legal_form_label, "topics": self.topic_label,
                     "nace": self.nace_label}[unit]
            labels = [label(c) for c in value]
            if inline:
                labels = [lower_word(x) for x in labels]
            # Labels with commas of their own ('Natuurlijke persoon: eenmanszaak, ...') are separated by ';'.
            return join_words(labels, "; " if any("," in x for x in labels) else ", ") if labels else "geen"
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

    def table_page(self, name: str) -> str | None:
        """A link from the page being rendered to the table ``name`` (None when no page shows it)."""
        uri = self.table_pages.get(name)
        if uri is None:
            return None
        anchor = "#tabel-" + name
        return anchor if uri == self.page else self._relative(uri) + anchor

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


# --- MkDocs events ---------------------------------------------------------------

_renderer: Renderer | None = None


def on_pre_build(config, **kwargs) -> None:
    global _renderer
    _renderer = Renderer(kmo_portefeuille.rules_data())


def on_nav(nav, config, files, **kwargs):
    """Note which page shows which table, and which page cites which source
    (for the list of sources), before any page renders.

    Every page's markers are rendered once in advance; a source counts as cited
    on a page when its address appears in the result.
    """
    assert _renderer is not None
    _renderer.table_pages = {}
    for page in nav.pages:
        for match in TABLE_MARKER.finditer(page.file.content_string):
            _renderer.table_pages.setdefault(match.group("name"), page.file.src_uri)
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
