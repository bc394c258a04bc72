"""The rule parameters: loaded once from the data files, looked up by date.

Every figure the rules use lives in ``data/parameters.toml`` keyed by the
date it took effect, with its source in ``data/sources.toml``. This module
only reads them; it knows no rule figure itself.
"""

from __future__ import annotations

import copy
import datetime as _dt
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
import os
from typing import Any

__all__ = ["Source", "Value", "Window", "RuleSet", "load", "rules_for", "rules_data", "RulesDateError"]


class RulesDateError(ValueError):
    """A date for which no rules are encoded."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "url": self.url}


@dataclass(frozen=True)
class Value:
    """One parameter's value as it applies on a given date."""

    id: str
    label: str
    unit: str
    start: _dt.date
    value: Any
    source: Source
    uncertain: str | None
    uncertain_between: tuple[_dt.date, _dt.date] | None
    extra: dict

    @property
    def decimal(self) -> Decimal:
        return Decimal(str(self.value))

    def uncertain_on(self, day: _dt.date, code: str | None = None) -> str | None:
        """The doubt about this value that matters for an application on ``day`` (and theme or topic ``code``).

        A doubt limited to some themes or topics (``uncertain_themes``,
        ``uncertain_topics``) only matters for those.
        """
        if not self.uncertain:
            return None
        for key in ("uncertain_themes", "uncertain_topics"):
            if key in self.extra and code not in self.extra[key]:
                return None
        if self.uncertain_between and not (self.uncertain_between[0] <= day <= self.uncertain_between[1]):
            return None
        return self.uncertain


@dataclass(frozen=True)
class Window:
    """A period in which the werkbaar-werk top-up of the ceiling applied."""

    start: _dt.date
    end: _dt.date
    max_top_up: Decimal
    label: str
    source: Source
    uncertain: str | None
    uncertain_after_days: int


class _Data:
    def __init__(self, raw: dict, sources: dict):
        self.raw = raw
        self.sources = {
            key: Source(key, entry["title"], entry["url"]) for key, entry in sources.items()
        }
        meta = raw["meta"]
        self.first_date: _dt.date = meta["first_date"]
        self.checked: _dt.date = meta["checked"]
        self.first_date_message: str = meta["first_date_message"]
        self.themes: dict[str, str] = dict(raw["themes"])
        self.legal_forms: dict[str, str] = dict(raw["legal_forms"])
        self.topics: dict[str, str] = dict(raw["topics"])
        self.deliveries: dict[str, str] = dict(raw["deliveries"])
        self.nace_labels: dict[str, str] = dict(raw["nace_labels"])
        self.parameters: dict[str, list[Value]] = {}
        for pid, spec in raw["parameters"].items():
            values = sorted(spec["values"], key=lambda v: v["from"])
            self.parameters[pid] = [
                Value(
                    id=pid,
                    label=spec["label"],
                    unit=spec["unit"],
                    start=v["from"],
                    value=v["value"],
                    source=self.source(v["source"]),
                    uncertain=v.get("uncertain"),
                    uncertain_between=tuple(v["uncertain_between"]) if "uncertain_between" in v else None,
                    extra={k: x for k, x in v.items() if k not in _VALUE_KEYS},
                )
                for v in values
            ]
        self.windows = [
            Window(
                start=w["from"],
                end=w["to"],
                max_top_up=Decimal(w["max_top_up"]),
                label=w["label"],
                source=self.source(w["source"]),
                uncertain=w.get("uncertain"),
                uncertain_after_days=w.get("uncertain_after_days", 0),
            )
            for w in raw["werkbaar_werk"]
        ]
        # A rule version is a date on which some parameter took a new value.
        self.versions = sorted({v.start for values in self.parameters.values() for v in values})

    def source(self, key: str) -> Source:
        try:
            return self.sources[key]
        except KeyError:
            raise KeyError(f"parameters.toml cites unknown source {key!r}") from None


_VALUE_KEYS = {"from", "value", "source", "uncertain", "uncertain_between"}


@lru_cache(maxsize=1)
def load() -> _Data:
    """Read the data files of the package (once per process)."""
    folder = os.path.join(os.path.dirname(__file__), "data")
    with open(os.path.join(folder, "parameters.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    with open(os.path.join(folder, "sources.toml"), "rb") as fh:
        sources = tomllib.load(fh)
    return _Data(raw, sources)


class RuleSet:
    """All parameters as they apply to an application submitted on one date."""

    def __init__(self, data: _Data, day: _dt.date):
        if day < data.first_date:
            raise RulesDateError(data.first_date_message)
        self.data = data
        self.day = day
        self.version = max(v for v in data.versions if v <= day)

    def __getitem__(self, pid: str) -> Value:
        current = None
        for value in self.data.parameters[pid]:
            if value.start <= self.day:
                current = value
        if current is None:
            raise LookupError(f"parameter {pid!r} has no value on {self.day.isoformat()}")
        return current

    def has(self, pid: str) -> bool:
        return any(v.start <= self.day for v in self.data.parameters.get(pid, ()))

    def theme_label(self, code: str) -> str:
        return self.data.themes.get(code, code)

    def label(self, kind: str, code: str) -> str:
        """The Dutch label of a legal form, topic, delivery or NACE prefix (``kind``: the table in parameters.toml)."""
        return getattr(self.data, kind).get(code, code)


def rules_for(day: _dt.date) -> RuleSet:
    """The rules for an application submitted on ``day`` (refused before the first encoded date)."""
    return RuleSet(load(), day)


def rules_data() -> dict:
    """All parameters, windows, themes, timeline and sources as plain JSON-ready data.

    The site's tables are rendered from this, so the text and the calculator
    read the same figures.
    """
    data = load()

    def src(key: str) -> dict:
        return data.source(key).as_dict()

    parameters = {}
    for pid, values in data.parameters.items():
        rows = []
        for i, v in enumerate(values):
            nxt = values[i + 1].start if i + 1 < len(values) else None
            rows.append({
                "from": v.start.isoformat(),
                "until": (nxt - _dt.timedelta(days=1)).isoformat() if nxt else None,
                "value": copy.deepcopy(v.value),
                "source": v.source.as_dict(),
                "uncertain": v.uncertain,
                **copy.deepcopy(v.extra),
            })
        parameters[pid] = {"id": pid, "label": values[0].label, "unit": values[0].unit, "values": rows}
    return {
        "meta": {"first_date": data.first_date.isoformat(), "checked": data.checked.isoformat()},
        "parameters": parameters,
        "themes": dict(data.themes),
        "legal_forms": dict(data.legal_forms),
        "topics": dict(data.topics),
        "deliveries": dict(data.deliveries),
        "nace_labels": dict(data.nace_labels),
        "werkbaar_werk": [
            {
                "from": w.start.isoformat(),
                "to": w.end.isoformat(),
                "max_top_up": str(w.max_top_up),
                "label": w.label,
                "source": w.source.as_dict(),
                "uncertain": w.uncertain,
            }
            for w in data.windows
        ],
        "timeline": [
            {
                "date": t["date"].isoformat(),
                "title": t["title"],
                "description": t["description"],
                "parameters": list(t["parameters"]),
                "source": src(t["source"]),
            }
            for t in sorted(data.raw["timeline"], key=lambda t: t["date"])
        ],
        "sources": {key: s.as_dict() for key, s in sorted(data.sources.items())},
        "versions": [v.isoformat() for v in data.versions],
    }
