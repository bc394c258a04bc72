"""Fixtures shared by every test under tests/.

* ``site_build``: the repository's build.py as a module (build, server).
* ``built_site`` / ``build_info``: the site in site/ that ``./dev test`` built
  (built here when missing) and its ``assets/kmo/build-info.json``.
* ``site_url`` (also ``base_url`` for pytest-playwright, so
  ``page.goto("rekenhulp/")`` works): that site served on 127.0.0.1 for the
  whole session, on the port of the ``site_url`` it was built for when free,
  by a server like GitHub Pages (``pages_server``: tests/pages_server.py,
  ``Cache-Control: max-age=600`` on every file, gzip).
* ``browser_type_launch_args``: Debian's Chromium with the flags this machine
  needs when Playwright's own browser is absent (or when ``KMO_CHROMIUM`` says so).
* ``axe_core_js``: path of axe-core's script (npm) for accessibility checks.
* ``case_data``: ``calculator/tests/case_data.py`` (the cases as data), for the
  browser tests and the Node check of the stdlib subset.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_DIR = ROOT / "site"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def _load(name: str, path: Path):
    """A module from its path under its own name (in sys.modules: dataclasses look their module up)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# Under another name than `build`: `import build` would find the PyPI package
# `build`, or shadow it.
_site_build = _load("kmo_site_build", ROOT / "build.py")
_pages = _load("kmo_pages_server", ROOT / "tests" / "pages_server.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def site_build():
    """build.py as a module: ``build(...)``, ``start_server(...)``, ``RUNTIME_FILES`` …"""
    return _site_build


@pytest.fixture(scope="session")
def built_site() -> Path:
    """site/, as ./dev test built it; built now (for a free port) if missing."""
    if not (SITE_DIR / _site_build.BUILD_INFO_PATH).is_file():
        _site_build.build(SITE_DIR, site_url=f"http://127.0.0.1:{free_port()}/")
    return SITE_DIR


@pytest.fixture(scope="session")
def build_info(built_site) -> dict:
    return json.loads((built_site / _site_build.BUILD_INFO_PATH).read_text(encoding="utf-8"))



@pytest.fixture(scope="session")
def case_data():
    return _load("kmo_case_data_tests", ROOT / "calculator" / "tests" / "case_data.py")


@pytest.fixture(scope="session")
def pages_server():
    """tests/pages_server.py: a server like GitHub Pages (max-age=600 on every file, gzip, ETag)."""
    return _pages


def _serve(site_dir: Path, site_url: str | None):
    """Serve like GitHub Pages (tests/pages_server.py) at the host, port and path of
    ``site_url`` if possible, else on a free port."""
    parts = urlsplit(site_url or "")
    base_path = parts.path or "/"
    if parts.hostname == "127.0.0.1" and parts.port:
        try:
            return _pages.start_pages_server(_site_build, site_dir, port=parts.port, base_path=base_path)
        except OSError:
            warnings.warn(f"port {parts.port} of {site_url} is taken: serving on another "
                          "port, so MkDocs' absolute links point elsewhere")
    return _pages.start_pages_server(_site_build, site_dir, port=0, base_path=base_path)


@pytest.fixture(scope="session")
def site_url(built_site, build_info):
    """URL of the served site/, ending in "/"."""
    server = _serve(built_site, build_info.get("site_url"))
    yield _site_build.server_url(server)
    server.stop()


@pytest.fixture(scope="session")
def plain_site_url(built_site):
    """site/ served by build.py's own server (``./dev serve``: versioned files immutable,
    the rest no-cache), for the tests of that server."""
    server = _site_build.start_server(built_site, port=0, base_path="/", quiet=True)
    yield _site_build.server_url(server)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url(site_url) -> str:
    return site_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_name, playwright):
    if browser_name not in (None, "chromium"):
        return browser_type_launch_args
    executable = os.environ.get("KMO_CHROMIUM")
    if not executable and not Path(playwright.chromium.executable_path).exists() \
            and Path(DEBIAN_CHROMIUM).exists():
        executable = DEBIAN_CHROMIUM
    if not executable:
        return browser_type_launch_args
    args = [*browser_type_launch_args.get("args", []), *CHROMIUM_FLAGS]
    return {**browser_type_launch_args, "executable_path": executable, "args": args}


@pytest.fixture(scope="session")
def axe_core_js() -> Path:
    path = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        pytest.fail("node_modules/axe-core is missing: run ./dev setup (npm ci)")
    return path
