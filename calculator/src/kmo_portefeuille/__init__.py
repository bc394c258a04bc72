"""The Flemish kmo-portefeuille as code.

``estimate(request)`` computes the support for one application, with every
reason, deadline and step explained in Dutch; ``plan(request)`` computes
several applications of one enterprise against the yearly ceiling; ``rules_data()`` gives the
dated, sourced parameters the rules use (the site renders its tables from
them). Everything else in this package is private.
"""

from ._estimate import estimate, estimate_json
from ._format import format_amount, format_date, format_percentage
from ._params import rules_data
from ._plan import plan, plan_json

__version__ = "1.0.0"

__all__ = [
    "estimate",
    "estimate_json",
    "plan",
    "plan_json",
    "rules_data",
    "format_amount",
    "format_date",
    "format_percentage",
    "__version__",
]
