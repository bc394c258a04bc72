"""Reading a request: every field checked, every problem a Dutch message at its field.

Nothing here is a rule of the scheme: only what a well-formed request looks
like. Problems are collected, not raised one by one, so a form can show them
all at once.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["Catering", "Codes", "Enterprise", "Related", "Request", "parse_request", "SERVICES", "SIZES", "NO_TOPIC"]

SERVICES = ("training", "advice")
SIZES = ("small", "medium")
RELATIONS = ("partner", "linked")

# Input limits: what a sensible request can hold (not rules of the scheme).
MAX_AMOUNT = Decimal("1000000000000")  # 1.000 miljard euro
MAX_FTE = Decimal("10000000")
MAX_COUNT = 100000
MAX_RELATED = 100
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# A number as text, as the JSON Schema allows it: ASCII digits, a point for
# decimals (no exponent, no "2_000", no other scripts' digits); a minus sign
# is read so that its own message can say why it is refused.
_DECIMAL_TEXT = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
# The dates a request may carry: wide enough for any real application and its
# deadlines, narrow enough that no date arithmetic overflows (not a rule).
FIRST_DAY = _dt.date(1990, 1, 1)
LAST_DAY = _dt.date(2100, 12, 31)
# A NACE-BEL code: the two digits of the division, then up to three more
# (group, class, subclass), with or without a dot after the division.
_NACE = re.compile(r"^(\d{2})\.?(\d{0,3})$")
NO_TOPIC = "none"


@dataclass(frozen=True)
class Codes:
    """The codes the data files know (themes, legal forms, topics, kinds of delivery)."""

    themes: tuple[str, ...]
    legal_forms: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    deliveries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Related:
    relation: str
    share: Decimal
    fte: Decimal
    turnover: Decimal | None
    balance_sheet_total: Decimal | None


@dataclass(frozen=True)
class Enterprise:
    fte: Decimal | None
    turnover: Decimal | None
    balance_sheet_total: Decimal | None
    related: tuple[Related, ...]
    size: str | None
    legal_form: str | None = None
    flemish_establishment: bool | None = None
    public_share: Decimal | None = None
    nace: str | None = None
    health_profession: bool | None = None


@dataclass(frozen=True)
class Catering:
    participants: int
    days: int
    per_person_per_day: Decimal


@dataclass(frozen=True)
class Request:
    application_date: _dt.date
    start_date: _dt.date
    service: str
    enterprise: Enterprise
    cost: Decimal
    catering: Catering | None
    vat_rate: Decimal | None
    registered_provider: bool
    theme: str | None
    support_used_this_year: Decimal
    werkbaar_werk: bool
    topic: str | None = None
    delivery: str | None = None
    participants_are_workers: bool | None = None
    provider_related: bool | None = None
    de_minimis_received: Decimal | None = None
    vat_deductible: bool = False


class _Reader:
    """Collects errors while reading fields of a JSON object."""

    def __init__(self) -> None:
        self.errors: list[dict] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append({"field": field, "message": message})

    # -- primitives -----------------------------------------------------
    def number(
        self,
        obj: dict,
        key: str,
        field: str,
        *,
        required: bool = True,
        maximum: Decimal = MAX_AMOUNT,
        places: int | None = 2,
        what: str = "een bedrag",
    ) -> Decimal | None:
        if key not in obj or obj[key] is None or obj[key] == "":
            if required:
                self.error(field, f"Vul {what} in.")
            return None
        raw = obj[key]
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
            self.error(field, f"Dit is geen getal: geef {what} in cijfers.")
            return None
        if isinstance(raw, float) and not math.isfinite(raw):
            self.error(field, "Dit getal is oneindig of ongeldig; geef een gewoon getal.")
            return None
        if isinstance(raw, str) and not _DECIMAL_TEXT.match(raw.strip(" \t")):
            self.error(field, f"Dit is geen getal: geef {what} in cijfers.")
            return None
        try:
            value = Decimal(raw.strip(" \t")) if isinstance(raw, str) else Decimal(str(raw))
        except (InvalidOperation, ValueError):
            self.error(field, f"Dit is geen getal: geef {what} in cijfers.")
            return None
        if not value.is_finite():
            self.error(field, "Dit getal is oneindig of ongeldig; geef een gewoon getal.")
            return None
        if value < 0:
            self.error(field, "Een negatief getal kan hier niet.")
            return None
        if value > maximum:
            self.error(field, "Dit getal is onrealistisch groot; kijk het na.")
            return None
        if places is not None and value != value.quantize(Decimal(1).scaleb(-places)):
            self.error(field, "Geef een bedrag met hoogstens twee cijfers na de komma." if places == 2
                       else "Geef een geheel getal.")
            return None
        return value + 0  # normalises -0 to 0

    def count(self, obj: dict, key: str, field: str, what: str) -> int | None:
        value = self.number(obj, key, field, maximum=Decimal(MAX_COUNT), places=0, what=what)
        return None if value is None else int(value)

    def fraction(self, obj: dict, key: str, field: str, what: str, *, required: bool = True) -> Decimal | None:
        if key in obj and obj[key] is not None and obj[key] != "":
            raw = obj[key]
            probe = self.number({key: raw}, key, field, maximum=Decimal("1e9"), places=None, what=what)
            if probe is None:
                return None
            if probe > 1:
                self.error(field, f"Geef {what} als breuk tussen 0 en 1 (bijvoorbeeld 0.30 voor 30 %).")
                return None
            return probe
        if required:
            self.error(field, f"Vul {what} in.")
        return None

    def flag(self, obj: dict, key: str, field: str, default: bool) -> bool:
        """A yes/no field with a default when absent."""
        value = self.answer(obj, key, field, "Kies ja (true) of nee (false).")
        return default if value is None else value

    def answer(self, obj: dict, key: str, field: str,
               message: str = "Kies ja (true) of nee (false), of laat de vraag open.") -> bool | None:
        """A yes/no question the user may leave unanswered (None)."""
        if key not in obj or obj[key] is None:
            return None
        if not isinstance(obj[key], bool):
            self.error(field, message)
            return None
        return obj[key]

    def nace(self, obj: dict, key: str, field: str) -> str | None:
        """A NACE-BEL code such as 10.711 or 10711, as its digits ("10711")."""
        raw = obj.get(key)
        if raw is None or raw == "":
            return None
        match = _NACE.match(raw.strip()) if isinstance(raw, str) else None
        if match is None or match.group(1) == "00" or not raw.strip().isascii():
            self.error(field, "Geef de NACE-BEL-code van je hoofdactiviteit in cijfers, zoals 10.711 of 10711 "
                              "(je vindt ze in de Kruispuntbank van Ondernemingen).")
            return None
        return match.group(1) + match.group(2)

    def date(self, obj: dict, key: str, field: str, what: str) -> _dt.date | None:
        raw = obj.get(key)
        if raw is None or raw == "":
            self.error(field, f"Vul {what} in.")
            return None
        if not isinstance(raw, str) or not _ISO_DATE.match(raw):
            self.error(field, f"Geef {what} als datum in de vorm JJJJ-MM-DD, bijvoorbeeld 2026-03-15.")
            return None
        try:
            day = _dt.date.fromisoformat(raw)
        except ValueError:
            self.error(field, f"De datum {raw} bestaat niet; kijk dag en maand na.")
            return None
        if not FIRST_DAY <= day <= LAST_DAY:
            self.error(field, f"Geef een datum tussen {FIRST_DAY.year} en {LAST_DAY.year}; {raw} ligt daarbuiten.")
            return None
        return day

    def choice(self, obj: dict, key: str, field: str, options: tuple, what: str, *, required: bool) -> str | None:
        raw = obj.get(key)
        if raw is None or raw == "":
            if required:
                self.error(field, f"Kies {what}.")
            return None
        if raw not in options:
            self.error(field, f"Onbekende keuze {str(raw)[:40]!r}: kies {what}.")
            return None
        return raw

    def object(self, obj: Any, field: str, what: str) -> dict | None:
        if not isinstance(obj, dict):
            self.error(field, f"{what} moet een object met velden zijn (geen lijst of tekst).")
            return None
        return obj


def _related(reader: _Reader, raw: Any, index: int, needs_turnover: bool, needs_balance: bool) -> Related | None:
    base = f"enterprise.related.{index}"
    obj = reader.object(raw, base, "Een verbonden of partneronderneming")
    if obj is None:
        return None
    relation = reader.choice(obj, "relation", f"{base}.relation", RELATIONS, "partner of verbonden", required=True)
    share = reader.fraction(obj, "share", f"{base}.share", "het aandeel")
    fte = reader.number(obj, "fte", f"{base}.fte", maximum=MAX_FTE, places=None, what="het aantal VTE")
    turnover = reader.number(obj, "turnover", f"{base}.turnover", required=needs_turnover, what="de jaaromzet")
    balance = reader.number(obj, "balance_sheet_total", f"{base}.balance_sheet_total", required=needs_balance,
                            what="het balanstotaal")
    if None in (relation, share, fte):
        return None
    return Related(relation, share, fte, turnover, balance)


def _enterprise(reader: _Reader, raw: Any, codes: Codes) -> Enterprise | None:
    if raw is None:
        reader.error("enterprise", "Vul de gegevens van de onderneming in.")
        return None
    obj = reader.object(raw, "enterprise", "De onderneming")
    if obj is None:
        return None
    size = reader.choice(obj, "size", "enterprise.size", SIZES, "de vastgelegde grootte (klein of middelgroot)",
                         required=False)
    fixed = size is not None
    fte = reader.number(obj, "fte", "enterprise.fte", required=not fixed, maximum=MAX_FTE, places=None,
                        what="het aantal voltijdse equivalenten (VTE)")
    turnover = reader.number(obj, "turnover", "enterprise.turnover", required=False, what="de jaaromzet")
    balance = reader.number(obj, "balance_sheet_total", "enterprise.balance_sheet_total", required=False,
                            what="het balanstotaal")
    if not fixed and turnover is None and balance is None and not any(
        e["field"] in ("enterprise.turnover", "enterprise.balance_sheet_total") for e in reader.errors
    ):
        reader.error("enterprise.turnover", "Vul de jaaromzet of het balanstotaal in (of allebei).")
    related_raw = obj.get("related", [])
    related: list[Related] = []
    if related_raw is None:
        related_raw = []
    if not isinstance(related_raw, list):
        reader.error("enterprise.related", "De partner- en verbonden ondernemingen moeten een lijst zijn.")
    elif len(related_raw) > MAX_RELATED:
        reader.error("enterprise.related", f"Geef hoogstens {MAX_RELATED} partner- of verbonden ondernemingen op.")
    else:
        for index, item in enumerate(related_raw):
            entry = _related(reader, item, index, turnover is not None and not fixed,
                             balance is not None and not fixed)
            if entry is not None:
                related.append(entry)
    return Enterprise(fte, turnover, balance, tuple(related), size, **_conditions_of_enterprise(reader, obj, codes))


def _conditions_of_enterprise(reader: _Reader, obj: dict, codes: Codes) -> dict:
    """The enterprise's answers to the conditions (each optional: unanswered is None)."""
    return {
        "legal_form": reader.choice(obj, "legal_form", "enterprise.legal_form", codes.legal_forms,
                                    "een rechtsvorm uit de lijst", required=False),
        "flemish_establishment": reader.answer(obj, "flemish_establishment", "enterprise.flemish_establishment"),
        "public_share": reader.fraction(obj, "public_share", "enterprise.public_share",
                                        "het aandeel van de overheden", required=False),
        "nace": reader.nace(obj, "nace", "enterprise.nace"),
        "health_profession": reader.answer(obj, "health_profession", "enterprise.health_profession"),
    }


def _catering(reader: _Reader, raw: Any) -> Catering | None:
    if raw is None:
        return None
    obj = reader.object(raw, "catering", "De catering")
    if obj is None:
        return None
    participants = reader.count(obj, "participants", "catering.participants", "het aantal deelnemers")
    days = reader.count(obj, "days", "catering.days", "het aantal dagen")
    price = reader.number(obj, "per_person_per_day", "catering.per_person_per_day",
                          what="de cateringkost per persoon per dag")
    if None in (participants, days, price):
        return None
    return Catering(participants, days, price)


def parse_request(raw: Any, codes: Codes) -> tuple[Request | None, list[dict]]:
    """Turn a JSON-like request into a ``Request``, or give the errors per field.

    ``codes`` are the theme, legal-form, topic and delivery codes the data files know.
    """
    reader = _Reader()
    obj = reader.object(raw, "", "De aanvraag")
    if obj is None:
        return None, reader.errors
    application_date = reader.date(obj, "application_date", "application_date", "de datum van de aanvraag")
    start_date = reader.date(obj, "start_date", "start_date", "de startdatum")
    service = reader.choice(obj, "service", "service", SERVICES, "opleiding of advies", required=True)
    enterprise = _enterprise(reader, obj.get("enterprise"), codes)
    cost = reader.number(obj, "cost", "cost", what="de prijs exclusief btw")
    catering = _catering(reader, obj.get("catering"))
    vat_rate = reader.fraction(obj, "vat_rate", "vat_rate", "het btw-tarief", required=False)
    registered = reader.flag(obj, "registered_provider", "registered_provider", True)
    theme = reader.choice(obj, "theme", "theme", codes.themes, "een thema", required=False)
    used = reader.number(obj, "support_used_this_year", "support_used_this_year", required=False,
                         what="de steun die je dit jaar al kreeg")
    werkbaar = reader.flag(obj, "werkbaar_werk", "werkbaar_werk", False)
    topic = reader.choice(obj, "topic", "topic", codes.topics + (NO_TOPIC,), "een onderwerp uit de lijst",
                          required=False)
    delivery = reader.choice(obj, "delivery", "delivery", codes.deliveries, "hoe de opleiding gegeven wordt",
                             required=False)
    workers = reader.answer(obj, "participants_are_workers", "participants_are_workers")
    related_provider = reader.answer(obj, "provider_related", "provider_related")
    de_minimis = reader.number(obj, "de_minimis_received", "de_minimis_received", required=False,
                               what="de de-minimissteun die je al kreeg")
    vat_deductible = reader.flag(obj, "vat_deductible", "vat_deductible", False)
    if reader.errors:
        return None, reader.errors
    assert application_date and start_date and service and enterprise and cost is not None
    return Request(
        application_date=application_date,
        start_date=start_date,
        service=service,
        enterprise=enterprise,
        cost=cost,
        catering=catering,
        vat_rate=vat_rate,
        registered_provider=registered,
        theme=theme,
        support_used_this_year=used if used is not None else Decimal(0),
        werkbaar_werk=werkbaar,
        topic=topic,
        delivery=delivery,
        participants_are_workers=workers,
        provider_related=related_provider,
        de_minimis_received=de_minimis,
        vat_deductible=vat_deductible,
    ), []
