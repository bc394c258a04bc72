"""The conditions beyond the amounts: who may apply, for which service, and the de-minimis ceiling.

Each function checks one condition and returns its reason (a stable ``code``
and a Dutch ``message`` that says what to do) when it fails, or ``None``.
A condition the request leaves unanswered is assumed to be met, and said so
through ``explain.assume`` (the answer's ``assumptions``): the common case
needs no extra typing, and a verdict never hides what it assumed. Every
list, share and ceiling comes from ``data/parameters.toml``.
"""

from __future__ import annotations

from decimal import Decimal

from ._explain import Explanation
from ._format import format_amount, format_date, format_percentage
from ._params import RuleSet
from ._request import NO_TOPIC, Enterprise, Request

__all__ = [
    "legal_form_allowed", "flemish_establishment", "public_share_below_limit", "main_activity_allowed",
    "service_not_excluded", "health_service_for_target_group", "provider_not_related",
    "distance_learning_interactive", "participants_are_workers", "de_minimis_room", "enterprise_reasons",
    "service_reasons",
]


def _reason(code: str, message: str) -> dict:
    return {"code": code, "message": message}


def _forms(rules: RuleSet, codes) -> str:
    return ", ".join(rules.label("legal_forms", code).split(" (")[0].lower() for code in codes)


def legal_form_allowed(form: str | None, rules: RuleSet, explain: Explanation) -> dict | None:
    """Only natural persons who trade and companies with an accepted legal form may apply; a vzw, stichting or feitelijke vereniging may not (VLAIO, aanvaardbare rechtsvormen)."""
    accepted, refused, doubtful = (rules["legal_form.accepted"], rules["legal_form.refused"],
                                   rules["legal_form.doubtful"])
    if form is None:
        explain.assume("enterprise.legal_form", "je onderneming een aanvaarde rechtsvorm heeft, zoals een "
                                                "eenmanszaak of zelfstandige, een BV, NV of CV (geen vzw of "
                                                "stichting).", accepted)
        return None
    label = rules.label("legal_forms", form)
    if form in refused.value:
        return _reason("legal_form_excluded",
                       f"Een {label[:1].lower() + label[1:]} kan de kmo-portefeuille niet aanvragen: alleen "
                       "ondernemingen met een aanvaarde rechtsvorm, zoals een eenmanszaak, BV, NV of CV. Vraag bij "
                       "VLAIO (gratis nummer 1700) welke andere steun er voor je organisatie bestaat.")
    if form in doubtful.value:
        explain.step("legal_form", f"Rechtsvorm: {label}; de bronnen zijn het er niet over eens of die "
                                   "aanvaard wordt.", form, doubtful)
        return None
    if form in accepted.value:
        explain.step("legal_form", f"Rechtsvorm: {label}, een aanvaarde rechtsvorm.", form, accepted)
        return None
    explain.warn("legal_form_unknown", "Voor deze rechtsvorm kan de rekenhulp niet zeggen of ze aanvaard wordt: "
                                       f"aanvaard zijn {_forms(rules, accepted.value)}. Vraag het na bij VLAIO "
                                       "(gratis nummer 1700) voor je de opleiding of het advies koopt.")
    return None


def flemish_establishment(answer: bool | None, rules: RuleSet, explain: Explanation) -> dict | None:
    """The enterprise needs an exploitation seat in the Flemish Region, where the workers concerned work (Larcier, Handleiding kmo-portefeuille)."""
    required = rules["establishment.flemish_required"]
    if not required.value:
        return None
    if answer is None:
        explain.assume("enterprise.flemish_establishment", "je onderneming een vestiging (exploitatiezetel) in "
                                                           "het Vlaamse Gewest heeft, waar de betrokken werkenden "
                                                           "werken.", required)
        return None
    if not answer:
        return _reason("no_flemish_establishment",
                       "Zonder vestiging (exploitatiezetel) in het Vlaamse Gewest kan je onderneming de "
                       "kmo-portefeuille niet gebruiken. Is ze alleen in Brussel of Wallonië gevestigd, vraag dan "
                       "bij dat gewest naar zijn eigen steun voor opleiding en advies.")
    explain.step("flemish_establishment", "Je onderneming heeft een vestiging in het Vlaamse Gewest.", "true",
                 required)
    return None


def public_share_below_limit(share: Decimal | None, rules: RuleSet, explain: Explanation) -> dict | None:
    """Public authorities together must hold less than 25 % of the enterprise (Vlaanderen.be)."""
    limit = rules["public_share.below"]
    if share is None:
        explain.assume("enterprise.public_share", f"overheden samen minder dan {format_percentage(limit.decimal)} "
                                                  "van je onderneming bezitten.", limit)
        return None
    if share >= limit.decimal:
        return _reason("public_share_too_high",
                       f"Overheden bezitten samen {format_percentage(share)} van je onderneming; voor de "
                       f"kmo-portefeuille moet dat minder dan {format_percentage(limit.decimal)} zijn.")
    explain.step("public_share", f"Overheden bezitten samen {format_percentage(share)}, minder dan "
                                 f"{format_percentage(limit.decimal)}.", str(share), limit)
    return None


def _nace_text(code: str) -> str:
    return code[:2] + ("." + code[2:] if len(code) > 2 else "")


def main_activity_allowed(nace: str | None, rules: RuleSet, explain: Explanation) -> dict | None:
    """The main activity must be on the NACE-BEL list of the ministerial decree; agriculture (01) is not, and fishing (03) most likely not (Vlaams Parlement 2016; Regulation 1407/2013)."""
    excluded, likely = rules["activity.excluded_nace"], rules["activity.likely_excluded_nace"]
    known = [rules.label("nace_labels", p) + f" ({p})" for p in excluded.value + likely.value]
    if nace is None:
        explain.assume("enterprise.nace", "je hoofdactiviteit (de NACE-BEL-code met de grootste omzet) toegang "
                                          f"geeft: niet {' of '.join(known)}. De volledige lijst in de bijlage van "
                                          "het ministerieel besluit kent de rekenhulp niet.", excluded)
        return None
    for rule in (excluded, likely):
        prefix = next((p for p in rule.value if nace.startswith(p)), None)
        if prefix is not None:
            explain.doubt(rule)
            return _reason("main_activity_excluded",
                           f"Met als hoofdactiviteit {rules.label('nace_labels', prefix)} (NACE-BEL "
                           f"{_nace_text(nace)}) heeft je onderneming geen toegang tot de kmo-portefeuille. Vraag "
                           "bij de Vlaamse overheid (gratis nummer 1700) naar de steun voor jouw sector.")
    explain.step("main_activity", f"Hoofdactiviteit NACE-BEL {_nace_text(nace)}: niet bij de uitgesloten "
                                  "activiteiten die de rekenhulp kent.", nace, excluded)
    explain.warn("incomplete.activity", "De rekenhulp kent alleen " + " en ".join(known) + " als hoofdactiviteiten "
                 "zonder toegang; de volledige lijst in de bijlage van het ministerieel besluit kon hij niet lezen. "
                 "Kijk bij VLAIO na of je NACE-BEL-code erop staat.")
    return None


def _known_of_total(value) -> str:
    known, total = value.extra.get("known"), value.extra.get("total")
    if known and total and known < total:
        return (f" Van de {total} uitgesloten diensten kent de rekenhulp er {known}; de rest van de lijst "
                "konden we niet lezen.")
    return ""


def service_not_excluded(topic: str | None, rules: RuleSet, explain: Explanation) -> dict | None:
    """Services on the minister's exclusion list (mindfulness, NLP, team buildings, ... since 1 July 2020; 26 in all since July 2021) get no support (VLAIO; Accofisc; Hilde Crevits)."""
    excluded = rules["services.excluded"]
    explain.doubt(excluded, topic)
    if topic is None:
        if excluded.value:
            examples = ", ".join(rules.label("topics", code).lower() for code in excluded.value[:2])
            explain.assume("topic", f"de dienst niet op de lijst van uitgesloten diensten staat (zoals {examples} "
                                    "of teambuilding)." + _known_of_total(excluded), excluded)
        return None
    if topic in excluded.value:
        since = _excluded_since(topic, rules)
        return _reason("service_excluded",
                       f"{rules.label('topics', topic)}: sinds {format_date(since)} staat dit op de lijst van "
                       "diensten die de kmo-portefeuille niet steunt. Kies een opleiding of advies dat er niet "
                       "op staat.")
    if topic == NO_TOPIC and excluded.value and _known_of_total(excluded):
        explain.warn("incomplete.services.excluded", "De lijst van uitgesloten diensten kent de rekenhulp niet "
                     "volledig." + _known_of_total(excluded) + " Vraag bij twijfel je dienstverlener of VLAIO.")
    return None


def _excluded_since(topic: str, rules: RuleSet):
    """The first date of the unbroken run of values, up to the application, whose list holds ``topic``."""
    since = None
    for value in rules.data.parameters["services.excluded"]:
        if value.start > rules.day:
            break
        since = (since or value.start) if topic in value.value else None
    return since


def health_service_for_target_group(topic: str | None, health_profession: bool | None, rules: RuleSet,
                                    explain: Explanation) -> dict | None:
    """Since July 2021 services aimed at mental or physical health qualify only for recognised (para)medical and non-conventional professions (VVCEPC, quoting the minister's cabinet)."""
    restricted = rules["services.health_target_group_only"]
    if topic != "health" or not restricted.value:
        return None
    explain.doubt(restricted)
    if health_profession is None:
        explain.assume("enterprise.health_profession", "je onderneming een erkend medisch, paramedisch of "
                                                       "niet-conventioneel beroep uitoefent, want de dienst gaat "
                                                       "over gezondheid.", restricted)
        return None
    if not health_profession:
        return _reason("service_excluded",
                       f"Sinds {format_date(restricted.start)} komt een opleiding of advies over mentale of fysieke "
                       "gezondheid alleen in aanmerking voor erkende medische, paramedische en niet-conventionele "
                       "beroepen; je onderneming hoort daar niet bij.")
    explain.step("health", "De dienst gaat over gezondheid en je onderneming oefent een erkend (para)medisch "
                           "beroep uit.", "true", restricted)
    return None


def provider_not_related(related: bool | None, rules: RuleSet, explain: Explanation) -> dict | None:
    """A provider related to the enterprise (shared capital or director, an employee or shareholder, close family) gets no support (VLAIO, beoordeling van de dienstverlener)."""
    rule = rules["provider.related_excluded"]
    if not rule.value:
        return None
    if related is None:
        explain.assume("provider_related", "de dienstverlener niet met je onderneming verbonden is: geen gedeeld "
                                           "kapitaal of gedeelde bestuurder, geen werknemer of aandeelhouder, "
                                           "geen naaste familie.", rule)
        return None
    if related:
        return _reason("provider_related",
                       "Een dienstverlener die met je onderneming verbonden is (gedeeld kapitaal of een gedeelde "
                       "bestuurder, een werknemer of aandeelhouder, naaste familie) krijgt geen steun via de "
                       "kmo-portefeuille. Kies een onafhankelijke dienstverlener.")
    explain.step("provider_related", "De dienstverlener is niet met je onderneming verbonden.", "false", rule)
    return None


def distance_learning_interactive(service: str, delivery: str | None, rules: RuleSet,
                                  explain: Explanation) -> dict | None:
    """A training at a distance qualifies only with live interaction with the teacher; self-paced e-learning does not (Vlaanderen.be, welke kosten)."""
    rule = rules["training.distance_requires_interaction"]
    if service != "training" or not rule.value:
        return None
    if delivery is None:
        explain.assume("delivery", "de opleiding klassikaal, in je onderneming of live op afstand gegeven wordt "
                                   "(geen e-learning in je eigen tempo).", rule)
        return None
    if delivery == "distance_self_paced":
        return _reason("distance_without_interaction",
                       "Een opleiding op afstand zonder live contact met de lesgever (e-learning in je eigen tempo) "
                       "komt niet in aanmerking. Een live les op afstand, met vragen aan de lesgever, of een "
                       "klassikale opleiding wel.")
    explain.step("delivery", f"Vorm van de opleiding: {rules.label('deliveries', delivery).lower()}.", delivery, rule)
    return None


def participants_are_workers(service: str, answer: bool | None, rules: RuleSet,
                             explain: Explanation) -> dict | None:
    """Training is supported only for werkenden of the enterprise: employees at a Flemish seat, self-employed managers and partners, helpers, co-working spouses; not interim workers, interns or students (Vlaanderen.be, werkenden)."""
    rule = rules["training.workers_only"]
    if service != "training" or not rule.value:
        return None
    if answer is None:
        explain.assume("participants_are_workers", "de deelnemers werkenden van je onderneming zijn: werknemers, "
                                                   "zaakvoerders en meewerkende vennoten of echtgenoten, of jijzelf "
                                                   "als zelfstandige.", rule)
        return None
    if not answer:
        return _reason("participants_not_workers",
                       "Steun voor een opleiding is er alleen voor werkenden van je onderneming: werknemers, "
                       "zaakvoerders en vennoten die als zelfstandige aangesloten zijn, de zelfstandige zelf, een "
                       "helper of een meewerkende echtgenoot of partner. Uitzendkrachten, stagiairs, jobstudenten, "
                       "seizoenarbeiders, IBO-cursisten en leerlingen tellen niet mee, en evenmin de werknemers "
                       "van een managementvennootschap die je onderneming bestuurt.")
    explain.step("participants", "De deelnemers zijn werkenden van je onderneming.", "true", rule)
    return None


def de_minimis_room(received: Decimal | None, support: Decimal, rules: RuleSet,
                    explain: Explanation) -> dict | None:
    """All de-minimis aid together may not pass the ceiling (EUR 200.000 over three fiscal years until 2023, EUR 300.000 over a rolling three years since 2024); aid that would pass it is not granted at all (Regulations 1407/2013 and 2023/2831, art. 3)."""
    ceiling = rules["de_minimis.ceiling"]
    period = ceiling.extra.get("period", "")
    if received is None:
        explain.assume("de_minimis_received", "je onderneming met deze steun onder het de-minimisplafond blijft: "
                                              f"{format_amount(ceiling.decimal, cents=False)} aan de-minimissteun "
                                              f"van alle overheden samen over {period}.", ceiling)
        return None
    total = received + support
    lowest = min(v.decimal for v in rules.data.parameters["de_minimis.ceiling"])
    if total > lowest:
        explain.doubt(ceiling)
    explain.step("de_minimis", f"De-minimissteun: {format_amount(received)} al ontvangen + {format_amount(support)} "
                               f"van deze aanvraag = {format_amount(total)}; plafond "
                               f"{format_amount(ceiling.decimal, cents=False)} over {period}.", str(total), ceiling)
    if total > ceiling.decimal:
        return _reason("de_minimis_exceeded",
                       f"Met deze steun kwam je onderneming op {format_amount(total)} de-minimissteun, boven het "
                       f"plafond van {format_amount(ceiling.decimal, cents=False)} over {period}. Steun die het "
                       "plafond overschrijdt, wordt helemaal niet toegekend. Kijk de steun van alle overheden na "
                       "die je op je verklaring op erewoord opgeeft.")
    return None


def enterprise_reasons(enterprise: Enterprise, rules: RuleSet, explain: Explanation) -> list[dict | None]:
    """The conditions on the applicant, in a fixed order."""
    return [
        legal_form_allowed(enterprise.legal_form, rules, explain),
        flemish_establishment(enterprise.flemish_establishment, rules, explain),
        public_share_below_limit(enterprise.public_share, rules, explain),
        main_activity_allowed(enterprise.nace, rules, explain),
    ]


def service_reasons(request: Request, rules: RuleSet, explain: Explanation) -> list[dict | None]:
    """The conditions on the service, the provider and the participants, in a fixed order."""
    return [
        provider_not_related(request.provider_related, rules, explain),
        service_not_excluded(request.topic, rules, explain),
        health_service_for_target_group(request.topic, request.enterprise.health_profession, rules, explain),
        distance_learning_interactive(request.service, request.delivery, rules, explain),
        participants_are_workers(request.service, request.participants_are_workers, rules, explain),
    ]
