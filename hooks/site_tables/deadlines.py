"""Deadlines: when to apply, to deposit the own share, to finish the service."""

from __future__ import annotations


def complete_rule(years: int) -> str:
    """The rule for finishing a service, in words."""
    if years == 1:
        return "31 december van het jaar na het jaar van de aanvraag"
    return f"31 december van het {years}de jaar na het jaar van de aanvraag"


class DeadlineTables:
    TABLES = ("termijnen",)

    def table_termijnen(self) -> str:
        years = int(self.current("deadline.complete_years")["value"])
        return self._template("termijnen.md.j2", complete=complete_rule(years))
