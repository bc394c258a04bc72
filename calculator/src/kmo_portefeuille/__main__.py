"""``python -m kmo_portefeuille``: a JSON request on stdin, the JSON answer on stdout.

Exit 0 for a valid request (eligible or not), 2 for an invalid one, including
input that is not JSON or not an object; the answer then holds ``errors``.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal

from ._estimate import estimate

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 2


def _reject_constant(name: str) -> Decimal:
    return Decimal("NaN")  # NaN / Infinity in JSON: refused by the checks as not a number


def main(argv: list[str] | None = None) -> int:
    """Read one request from stdin, write the estimate to stdout, return the exit code."""
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    try:
        request = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        answer = {"errors": [{"field": "", "message": "De invoer is geen geldige JSON."}]}
    else:
        answer = estimate(request)
    sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
    return EXIT_INVALID if "errors" in answer else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
