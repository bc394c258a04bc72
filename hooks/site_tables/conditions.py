"""The conditions the rekenhulp checks besides the amounts: legal form, the
excluded services by date, the de-minimis ceilings, and an overview of them all."""

from __future__ import annotations

import re

from kmo_portefeuille import format_date

from .common import MarkerError, Refs, amount, lower_word

# The conditions in the overview table, in the order of the application.
CONDITIONS = (
    "legal_form.accepted",
    "legal_form.doubtful",
    "legal_form.refused",
    "establishment.flemish_required",
    "public_share.below",
    "activity.excluded_nace",
    "activity.likely_excluded_nace",
    "services.excluded",
    "services.health_target_group_only",
    "provider.related_excluded",
    "training.distance_requires_interaction",
    "training.workers_only",
    "de_minimis.ceiling",
)

# For a list in the overview: the table that shows it in full, and the word for its items.
LIST_TABLES = {"legal_forms": ("rechtsvormen", "rechtsvorm", "rechtsvormen"),
               "topics": ("uitgesloten-diensten", "dienst", "diensten")}

REGULATION = re.compile(r"(?:\d{4}/\d{3,4}|\d{3,4}/\d{4})")


def regulation(source: dict) -> str:
    """'Verordening (EU) 2023/2831' from the title of the source, else the title itself."""
    found = REGULATION.search(source["title"])
    return f"Verordening (EU) {found.group(0)}" if found else source["title"]


class ConditionTables:
    TABLES = ("rechtsvormen", "uitgesloten-diensten", "de-minimis", "voorwaarden")

    def legal_form_label(self, code: str) -> str:
        return self.data["legal_forms"].get(code, code)

    def topic_label(self, code: str) -> str:
        return self.data["topics"].get(code, code)

    def nace_label(self, code: str) -> str:
        name = self.data["nace_labels"].get(code)
        return f"NACE {code} ({name})" if name else f"NACE {code}"

    # --- legal forms ---------------------------------------------------------------

    def table_rechtsvormen(self) -> str:
        refs, rows, notes = Refs(), [], []
        for pid, answer in (("legal_form.accepted", "ja"), ("legal_form.doubtful", "niet zeker"),
                            ("legal_form.refused", "nee")):
            row = self.current(pid)
            if row["uncertain"]:
                notes.append(row["uncertain"])
            for code in row["value"]:
                rows.append({"label": self.legal_form_label(code),
                             "answer": answer + (" (zie hieronder)" if row["uncertain"] else ""),
                             "source": refs(row["source"])})
        return self._template("rechtsvormen.md.j2", rows=rows, refs=refs, notes=list(dict.fromkeys(notes)),
                              other=self.data["legal_forms"].get("andere"))

    # --- excluded services -------------------------------------------------------

    def excluded_periods(self) -> list[dict]:
        """One row per excluded service and period: label, from, until (None: still excluded), source,
        whether its first day is uncertain. In the order of exclusion."""
        values = sorted(self.parameter("services.excluded")["values"], key=lambda v: v["from"])
        out, open_ = [], {}
        for v in values:
            if v["from"] > self.today.isoformat():
                break  # a future list shows from its day on
            for code in list(open_):
                if code not in v["value"]:
                    open_.pop(code)["until"] = v["from"]
            for code in v["value"]:
                if code not in open_:
                    row = {"code": code, "label": self.topic_label(code), "from": v["from"], "until": None,
                           "source": v["source"],
                           "uncertain": bool(v["uncertain"]) and code in v.get("uncertain_topics", ())}
                    open_[code] = row
                    out.append(row)
        return out

    def table_uitgesloten_diensten(self) -> str:
        spec = self.current("services.excluded")
        row = self.value_at("services.excluded", self.today)
        known, total = row.get("known"), row.get("total")
        if known is not None and known != len(row["value"]):
            raise MarkerError(f"services.excluded: known = {known}, maar de lijst telt {len(row['value'])} diensten")
        refs = Refs()
        periods = self.excluded_periods()
        for p in periods:
            p["ref"] = refs(p["source"])
        notes = list(dict.fromkeys(
            v["uncertain"] for v in self.parameter("services.excluded")["values"]
            if v["uncertain"] and v["from"] <= self.today.isoformat()))
        health = self.current("services.health_target_group_only")
        if health["value"]:
            refs(health["source"])
            if health["uncertain"]:
                notes.append(health["uncertain"])
        return self._template(
            "uitgesloten-diensten.md.j2", periods=periods, refs=refs, notes=notes, health=health,
            known=known if known is not None else len(spec["value"]), total=total,
            health_label=lower_word(health["label"]),
        )

    # --- de minimis ----------------------------------------------------------------

    def table_de_minimis(self) -> str:
        refs, rows, notes = Refs(), [], []
        for v in sorted(self.parameter("de_minimis.ceiling")["values"], key=lambda v: v["from"]):
            if v["uncertain"]:
                notes.append(v["uncertain"])
            rows.append({"from": v["from"], "until": v["until"], "amount": amount(v["value"]),
                         "period": v.get("period", ""), "regulation": regulation(v["source"]),
                         "uncertain": bool(v["uncertain"]), "source": refs(v["source"])})
        return self._template("de-minimis.md.j2", rows=rows, refs=refs, notes=list(dict.fromkeys(notes)),
                              now=self.current("de_minimis.ceiling"))

    # --- all conditions ------------------------------------------------------------

    def condition_text(self, row: dict) -> str:
        """What one condition says today, short enough for a table cell."""
        unit, value = row["unit"], row["value"]
        if unit in LIST_TABLES and len(value) > 3:
            table, one, many = LIST_TABLES[unit]
            text = f"{len(value)} {one if len(value) == 1 else many}"
            if row.get("total"):
                text = f"{len(value)} van de {row['total']} {many} bekend"
            where = self.table_page(table)
            return f"{text}, zie [de tabel]({where})" if where else f"{text}, zie de tabel"
        if unit == "eur" and row.get("period"):
            return f"{row['text']} over {row['period']}"
        if unit == "percentage" and row["id"].endswith(".below"):
            return f"minder dan {row['text']}"
        return row["text"]

    def table_voorwaarden(self) -> str:
        refs, rows, notes = Refs(), [], []
        for pid in CONDITIONS:
            row = self.current(pid)
            extra = self.value_at(pid, self.today)
            row = {**extra, **row}
            if row["uncertain"]:
                notes.append(row["uncertain"])
            rows.append({"label": row["label"], "text": self.condition_text(row),
                         "since": row["since"], "sure": "niet helemaal zeker" if row["uncertain"] else "zeker",
                         "source": refs(row["source"])})
        return self._template("voorwaarden.md.j2", rows=rows, refs=refs, notes=list(dict.fromkeys(notes)))
