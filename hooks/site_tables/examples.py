"""Worked examples, computed by ``kmo_portefeuille.estimate`` itself:
``<!-- kmo:voorbeeld ... -->`` and ``<!-- kmo:voorbeeld-termijnen ... -->``."""

from __future__ import annotations

from decimal import Decimal

import kmo_portefeuille

from .common import MarkerError, money, short_theme
from .deadlines import complete_rule

SIZES = {"klein": "small", "middelgroot": "medium"}
SIZE_WORDS = {"small": "kleine onderneming", "medium": "middelgrote onderneming"}
KINDS = {"opleiding": "training", "advies": "advice"}
EXAMPLE_KEYS = {"grootte", "dienst", "datum", "kost", "thema", "al_ontvangen",
                "deelnemers", "dagen", "catering", "btw"}


class Examples:
    def example(self, args: list[str]) -> str:
        """A worked example (support, own share, VAT)."""
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
        cost, eligible = money(request["cost"]), money(result["eligible_cost"])
        support, ceiling = money(result["support"]), money(result["ceiling"])
        catering = None
        if "catering" in request:
            total = money(result["eligible_cost"]) - cost + money(result["non_eligible"])
            cap = money(self.value_at("catering.cap", day)["value"])
            catering = {"people": int(opts["deelnemers"]), "days": int(opts["dagen"]),
                        "per_day": money(opts["catering"]), "cap": cap, "total": total,
                        "counted": eligible - cost, "surplus": money(result["non_eligible"])}
        vat = None
        if btw != "geen":
            vat = {"rate": Decimal(steps["vat_rate"]["figure"]) if "vat_rate" in steps else Decimal(btw),
                   "base": cost + (catering["total"] if catering else 0), "amount": money(result["vat"])}
        sources = [steps[i]["source"] for i in ("rate", "ceiling", "minimum", "catering", "vat_rate")
                   if i in steps and "source" in steps[i]]
        return self._template(
            "voorbeeld.md.j2",
            size_word=SIZE_WORDS[size], kind=opts["dienst"], theme=short_theme(self.theme_label(opts["thema"])),
            raised=(result["rate_rule"] or "").startswith("rate.raised."),
            day=day.isoformat(), cost=cost, catering=catering, eligible=eligible,
            rate=Decimal(result["rate"]), by_rate=money(uncapped["support"]), ceiling=ceiling,
            received=money(request["support_used_this_year"]), capped=support < money(uncapped["support"]),
            remaining=money(result["ceiling_left"]) + support, support=support, own=money(result["own_share"]),
            vat=vat, direct=money(result["paid_directly"]), own_total=money(result["total_outlay"]),
            invoice=money(result["invoice_total"]), sources=self.links(sources),
        )

    def deadline_example(self, args: list[str]) -> str:
        """The deadlines of one application."""
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
            complete_rule=complete_rule(complete_years),
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
