"""``python -m kmo_portefeuille``: a JSON request on stdin, the JSON answer on stdout.

Exit 0 for a valid request (eligible or not), 2 for an invalid one, including
input that is not JSON or not an object; the answer then holds ``errors``.
"""

from __future__ import annotations

import json
import sys

from ._estimate import estimate_json

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 2


def main(argv: list[str] | None = None) -> int:
    """Read one request from stdin, write the estimate to stdout, return the exit code."""
    answer = json.loads(estimate_json(sys.stdin.buffer.read().decode("utf-8", errors="replace")))
    sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
    return EXIT_INVALID if "errors" in answer else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
