"""The explanation of an estimate: ordered steps with their sources, and warnings."""

from __future__ import annotations

from ._params import RuleSet, Source, Value

__all__ = ["Explanation"]


class Explanation:
    """Collects the steps (a Dutch sentence, its figure, the rule's source), the warnings and the assumptions."""

    def __init__(self, rules: RuleSet):
        self.rules = rules
        self.steps: list[dict] = []
        self.warnings: list[dict] = []
        self.assumptions: list[dict] = []

    def step(self, step_id: str, text: str, figure: str, basis: Value | Source | None = None) -> None:
        entry = {"id": step_id, "text": text, "figure": figure}
        if isinstance(basis, Value):
            entry["rule"] = basis.label
            entry["source"] = basis.source.as_dict()
            self.doubt(basis)
        elif isinstance(basis, Source):
            entry["source"] = basis.as_dict()
        self.steps.append(entry)

    def warn(self, code: str, message: str) -> None:
        if all(w["code"] != code for w in self.warnings):
            self.warnings.append({"code": code, "message": message})

    def assume(self, field: str, message: str, basis: Value | None = None) -> None:
        """An unanswered condition taken as met: ``message`` completes "De rekenhulp gaat ervan uit dat …"."""
        if all(a["field"] != field for a in self.assumptions):
            entry = {"field": field, "message": message}
            if basis is not None:
                entry["source"] = basis.source.as_dict()
            self.assumptions.append(entry)

    def doubt(self, value: Value, code: str | None = None) -> None:
        """Surface a value's uncertainty when it matters for this application's date (and theme or topic)."""
        message = value.uncertain_on(self.rules.day, code)
        if message:
            self.warn(f"uncertain.{value.id}", message)
