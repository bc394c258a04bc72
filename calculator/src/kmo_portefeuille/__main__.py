"""``python -m kmo_portefeuille``: a JSON request on stdin, the JSON answer on stdout.

Exit 0 for a valid request (eligible or not), 2 for an invalid one, including
input that is not JSON or not an object; the answer then holds ``errors``.
The answer is written as UTF-8 bytes whatever the terminal's encoding (a
Windows console in cp1252 included); ``--ascii`` writes JSON escapes instead.
"""

from __future__ import annotations

import json
import sys

from ._estimate import estimate_json
from ._plan import plan_json

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 2

USAGE = """\
Gebruik: python -m kmo_portefeuille [--ascii] < aanvraag.json
        python -m kmo_portefeuille plan [--ascii] < planning.json

Leest één aanvraag als JSON van de standaardinvoer en schrijft de raming van
de kmo-portefeuille als JSON (UTF-8) naar de standaarduitvoer. Met "plan":
een planning van meerdere aanvragen van één onderneming (zie CONTRACT.md).

  --ascii     schrijf niet-ASCII-tekens als \\uXXXX (voor een terminal zonder UTF-8)
  -h, --help  toon deze hulp

Exitcode 0: een geldige aanvraag (ook als ze niet in aanmerking komt);
2: een ongeldige aanvraag, met "errors" per veld.
Het contract (velden, codes): calculator/CONTRACT.md.
Voorbeeld:
  echo '{"application_date": "2026-04-14", "start_date": "2026-04-20", "service": "training",
         "theme": "digitalisation", "enterprise": {"fte": 8, "turnover": 900000}, "cost": 2000}' \\
    | python -m kmo_portefeuille
"""


def main(argv: list[str] | None = None) -> int:
    """Read one request from stdin, write the estimate to stdout, return the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if any(a in ("-h", "--help") for a in args):
        _write(USAGE)
        return EXIT_OK
    command = plan_json if args[:1] == ["plan"] else estimate_json
    unknown = [a for a in args[1 if command is plan_json else 0:] if a != "--ascii"]
    if unknown:
        sys.stderr.write(f"Onbekende optie {unknown[0]!r}.\n\n{USAGE}")
        return EXIT_INVALID
    text = sys.stdin.buffer.read().decode("utf-8-sig", errors="replace")
    answer = json.loads(command(text))
    _write(json.dumps(answer, ensure_ascii="--ascii" in args, indent=2) + "\n")
    return EXIT_INVALID if "errors" in answer else EXIT_OK


def _write(text: str) -> None:
    """UTF-8 bytes to stdout, not the console's encoding (which may lack "€" or "−")."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    out.write(text.encode("utf-8"))
    out.flush()


if __name__ == "__main__":
    sys.exit(main())
