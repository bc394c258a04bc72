"""The forward-looking themes, for training and advice, with the raised rate."""

from __future__ import annotations

from kmo_portefeuille import format_date


class ThemeTables:
    TABLES = ("themas",)

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
