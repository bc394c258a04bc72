"""Fixtures for the site tests: one strict MkDocs build under a sub-path, parsed.

The site is built once per test session with ``mkdocs build --strict`` into a
temporary directory, with ``SITE_URL=http://127.0.0.1:PORT/kmo/``, so that the
same build also serves the sub-path tests (``subpath_server`` serves it there).
The fixture names differ from those of tests/conftest.py (which builds site/
with build.py): these tests check MkDocs' own output, before build.py adds
the Pyodide runtime.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sitetools, under --import-mode=importlib

from sitetools import SUBPATH, SiteBuild, free_port, mkdocs_build, parse_page


@pytest.fixture(scope="session")
def mkdocs_site(tmp_path_factory) -> SiteBuild:
    """The site, built once with --strict under http://127.0.0.1:PORT/kmo/."""
    port = free_port()
    url = f"http://127.0.0.1:{port}{SUBPATH}"
    out = tmp_path_factory.mktemp("site") / "site"
    code, output, seconds = mkdocs_build(out, url)
    pages = {}
    page404 = None
    if code == 0:
        for path in sorted(out.rglob("*.html")):
            page = parse_page(out, path)
            if page.path == "404.html":
                page404 = page
            else:
                pages[page.path] = page
    return SiteBuild(out, url, port, code, output, seconds, pages, page404)


@pytest.fixture(scope="session")
def strict_site(mkdocs_site) -> SiteBuild:
    """Like mkdocs_site, but fails at once when the build itself failed."""
    assert mkdocs_site.returncode == 0, mkdocs_site.output
    return mkdocs_site


class _SubpathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site directory only under /kmo/; everything else is 404."""

    def translate_path(self, path):
        if not path.startswith(SUBPATH):
            return str(Path(self.directory) / "__outside_the_subpath__")
        return super().translate_path("/" + path[len(SUBPATH):])

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def subpath_server(strict_site):
    """An HTTP server on the port of site_url that serves the build under /kmo/ only."""
    handler = functools.partial(_SubpathHandler, directory=str(strict_site.dir))
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", strict_site.port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield strict_site.url
    finally:
        server.shutdown()
        server.server_close()
