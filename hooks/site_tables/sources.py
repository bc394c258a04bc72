"""The timeline of the changes and the list of every source."""

from __future__ import annotations

from .common import cell, link

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
    "legal_form": "rechtsvorm",
    "establishment": "vestiging in Vlaanderen",
    "public_share": "aandeel van overheden",
    "activity": "hoofdactiviteit (NACE-BEL)",
    "services": "uitgesloten diensten",
    "provider": "verbonden dienstverlener",
    "training": "vorm en deelnemers van een opleiding",
    "de_minimis": "de-minimisplafond",
}


class SourceTables:
    TABLES = ("tijdlijn", "bronnen")

    def table_tijdlijn(self) -> str:
        return self._template("tijdlijn.md.j2", items=self.data["timeline"])

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
