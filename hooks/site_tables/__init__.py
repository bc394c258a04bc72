"""The tables of the site, one module per family, used by ``hooks/kmo_tables.py``.

``kmo_tables.py`` (the MkDocs hook) parses the ``<!-- kmo:... -->`` markers and
holds the MkDocs events; it builds its ``Renderer`` from the mixins here:

- ``common``: formatting (amounts, dates, table cells, source numbers), ``peildatum()``
  and the ``MarkerError`` every module raises;
- ``amounts``: kerncijfers, steunpercentages, plafonds, kmo-drempels,
  minimumbedragen, werkbaar-werk;
- ``deadlines``: termijnen;
- ``themes``: themas;
- ``conditions``: rechtsvormen, uitgesloten-diensten, de-minimis, voorwaarden
  (the conditions the rekenhulp checks besides the amounts);
- ``sources``: tijdlijn, bronnen (and ``TOPICS``, what each source supports);
- ``examples``: the worked examples (``kmo:voorbeeld``, ``kmo:voorbeeld-termijnen``).

Each mixin lists its table names in ``TABLES``; a table ``naam-met-streepjes``
is rendered by the method ``table_naam_met_streepjes``, with a jinja2 template
from ``hooks/templates/``.
"""
