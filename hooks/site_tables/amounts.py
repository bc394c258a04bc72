"""Amounts and rates: the current figures, the support percentages by date, the
annual ceilings per year, the SME thresholds, the minimum amounts and the
werkbaar-werk top-ups."""

from __future__ import annotations

import datetime as _dt

from kmo_portefeuille import format_date, format_percentage

from .common import Refs, amount, join_words, short_theme


class AmountTables:
    TABLES = ("kerncijfers", "steunpercentages", "plafonds", "kmo-drempels", "minimumbedragen", "werkbaar-werk")

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
                scope.append("opleiding: " + join_words(short_theme(self.theme_label(c)) for c in training))
            if advice:
                scope.append("advies: " + join_words(short_theme(self.theme_label(c)) for c in advice))
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

    def table_werkbaar_werk(self) -> str:
        windows = sorted(self.data["werkbaar_werk"], key=lambda w: w["from"])
        notes = list(dict.fromkeys(w["uncertain"] for w in windows if w["uncertain"]))
        return self._template("werkbaar-werk.md.j2", windows=windows, notes=notes)
