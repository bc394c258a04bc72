"""What every table module shares: formatting, source references, the peildatum."""

from __future__ import annotations

import datetime as _dt
import os
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kmo_portefeuille import format_amount

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
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


def money(x) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def number(x) -> str:
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
    return format_amount(money(x), cents=True)


def cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    # Collapse ordinary whitespace only: the non-breaking spaces of amounts stay.
    return re.sub(r"[ \t\r\n]+", " ", str(text)).strip().replace("|", "\\|")


def link(source: dict) -> str:
    title = source["title"].replace("[", "(").replace("]", ")")
    return f"[{cell(title)}]({source['url']})"


def join_words(items, sep: str = ", ") -> str:
    """'a, b en c' (with ``sep='; '``: 'a; b en c', for items that contain commas)."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return sep.join(items[:-1]) + " en " + items[-1]


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def lower_word(text: str) -> str:
    """Lower-case the first letter for use inside a sentence, unless the first
    word is an abbreviation or a proper adjective ('NLP (...)', 'Europese ...' stay as they are)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and not first[1:2].islower() or first.startswith("Europ"):
        return text
    return lower_first(text)


def short_theme(label: str) -> str:
    """'Cyberveiligheid (binnen digitalisering)' -> 'cyberveiligheid', for use inside a sentence."""
    return lower_first(re.sub(r"\s*\(binnen [^)]*\)", "", label))


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
