"""The site works when it is served under a sub-path (/kmo/), like on a project page."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin

from sitetools import CSS_URL, is_remote


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []
        self.config = None
        self._in_config = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attr in ("href", "src"):
            value = attrs.get(attr)
            if value and not (tag == "link" and attrs.get("rel") == "canonical"):
                self.urls.append((tag, value))
        self._in_config = tag == "script" and attrs.get("id") == "__config"

    def handle_data(self, data):
        if self._in_config:
            self.config = json.loads(data)
            self._in_config = False


def test_every_page_and_asset_loads_under_the_subpath(subpath_server, strict_site):
    root = subpath_server  # http://127.0.0.1:PORT/kmo/
    assert fetch(root.replace("/kmo/", "/"))[0] == 404  # nothing outside the sub-path
    seen: dict[str, int] = {}
    problems = []
    pages = [root + p[: -len("index.html")] for p in strict_site.pages]
    for url in pages:
        status, body, _ = fetch(url)
        assert status == 200, url
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for tag, value in parser.urls:
            if is_remote(value) and tag == "a":
                continue
            if value.startswith(("mailto:", "tel:", "javascript:", "data:")):
                continue
            target = urljoin(url, value).split("#")[0]
            if not target.startswith(root):
                problems.append(f"{url}: {value} -> {target} valt buiten {root}")
                continue
            if target not in seen:
                seen[target] = fetch(target)[0]
            if seen[target] != 200:
                problems.append(f"{url}: {value} -> HTTP {seen[target]}")
        # The search index, as Material's search worker finds it.
        assert parser.config is not None, url
        index = urljoin(url, parser.config["base"].rstrip("/") + "/search/search_index.json")
        assert index.startswith(root) and fetch(index)[0] == 200, (url, index)
    # Everything that the stylesheets point to.
    for target in [t for t in seen if t.endswith(".css")]:
        css = fetch(target)[1].decode("utf-8")
        for match in CSS_URL.finditer(css):
            value = match.group(1) or match.group(2)
            if value.startswith("data:") or is_remote(value):
                continue
            if fetch(urljoin(target, value))[0] != 200:
                problems.append(f"{target}: url({value})")
    assert not problems, "\n".join(problems)
    assert len(seen) > 15


def test_404_page_uses_the_subpath(subpath_server, strict_site):
    status, body, _ = fetch(subpath_server + "bestaat-niet/")
    assert status == 404
    parser = _Links()
    parser.feed((strict_site.dir / "404.html").read_text(encoding="utf-8"))
    for tag, value in parser.urls:
        if tag in ("link", "script") and not is_remote(value):
            assert value.startswith("/kmo/"), value
            assert fetch(urljoin(subpath_server, value))[0] == 200, value


def test_instant_navigation_links_are_relative(strict_site):
    """Internal links stay relative, so instant navigation keeps working on site_url."""
    for page in strict_site.pages.values():
        for tag, attr, value, attrs in page.urls:
            if tag == "a" and value.startswith(strict_site.url):
                raise AssertionError(f"{page.path}: absolute internal link {value}")
    assert re.search(r'"base":\s*"\.', strict_site.pages["hoeveel-steun/index.html"].html)
