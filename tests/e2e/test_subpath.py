"""The rekenhulp under a sub-path, as on GitHub Pages (https://owner.github.io/repo/),
reached from another page by instant navigation: the page, its worker and
Pyodide find everything relative to where they are, and load once."""

from __future__ import annotations

import socket

import pytest

SUBPATH = "/kmo-sub/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def subpath_url(site_build, pages_server, tmp_path_factory):
    port = free_port()
    url = f"http://127.0.0.1:{port}{SUBPATH}"
    root = tmp_path_factory.mktemp("subpath")
    site_build.build(root / "site", site_url=url, dist_dir=root / "dist", log=lambda *_: None)
    server = pages_server.start_pages_server(site_build, root / "site", port=port, base_path=SUBPATH)
    yield url
    server.shutdown()
    server.server_close()


def test_arriving_by_instant_navigation_under_a_sub_path(new_site_context, make_calc, subpath_url):
    """Start on the home page (no Pyodide there) and reach the rekenhulp by instant navigation."""
    context = new_site_context(base_url=subpath_url)
    calc = make_calc(context)
    calc.site_url = subpath_url
    page = calc.page
    page.goto("")
    page.evaluate("() => { window.__kmoSameDocument = true; }")
    assert page.evaluate("() => window.kmoPortefeuille === undefined")
    assert calc.workers() == []

    calc.nav("Rekenhulp")
    calc.settled(timeout=35_000)
    # The page's stylesheet came along (Material adds the new page's <head> elements).
    assert page.locator(".kmo-rh").evaluate("(node) => getComputedStyle(node).display") == "grid"
    calc.fill_small_training()
    calc.nav("Hoeveel steun?")
    calc.nav("Rekenhulp")
    calc.fill_small_training()

    assert page.evaluate("() => window.__kmoSameDocument === true")
    assert page.evaluate("() => window.kmoPortefeuille.workersStarted") == 1
    assert len(calc.workers()) == 1
    assert calc.workers()[0].startswith(subpath_url)
    requests = context.recorder.requests
    assert any(url.endswith("/pyodide.asm.wasm") for url in requests)
    # The page handed build-info to the worker, also after instant navigation.
    assert not any(url.endswith("/build-info.json") for url in requests)
    assert page.evaluate("() => window.kmoPortefeuille.versions.boot") == "fast"
    assert all(url.startswith(subpath_url) for url in requests), [
        url for url in requests if not url.startswith(subpath_url)]
    assert calc.csp_violations() == []
    assert not context.recorder.errors
    page.close()
