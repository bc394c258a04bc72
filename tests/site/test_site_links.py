"""Every internal link of the built site resolves, anchors included."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from sitetools import parse_page

SKIP_SCHEMES = ("http:", "https:", "mailto:", "tel:", "javascript:", "data:")


def resolve(strict_site, page_path: str, href: str):
    """The built file and fragment an internal href points to (None for external links)."""
    if href.startswith(SKIP_SCHEMES) or href.startswith("//"):
        return None
    parts = urlsplit(href)
    if not parts.path:
        target = page_path
    else:
        base = posixpath.dirname(page_path)
        target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        if href.startswith("/"):
            raise AssertionError(f"{page_path}: root-relative link {href!r} breaks under a sub-path")
        if parts.path.endswith("/") or target in (".", ""):
            target = posixpath.join(target, "index.html") if target not in (".", "") else "index.html"
    return target, parts.fragment


def test_internal_links_resolve(strict_site):
    checked = 0
    problems = []
    cache = {}
    for page in strict_site.pages.values():
        for tag, attr, value, attrs in page.urls:
            if tag != "a" or attr != "href":
                continue
            resolved = resolve(strict_site, page.path, value)
            if resolved is None:
                continue
            target, fragment = resolved
            file = strict_site.dir / target
            if file.is_dir():
                file = file / "index.html"
                target = posixpath.join(target, "index.html")
            if not file.is_file():
                problems.append(f"{page.path}: {value} -> {target} bestaat niet")
                continue
            if fragment and file.suffix == ".html":
                if target not in cache:
                    cache[target] = parse_page(strict_site.dir, file)
                if fragment not in cache[target].ids:
                    problems.append(f"{page.path}: {value}: anker #{fragment} ontbreekt in {target}")
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked > 100  # the nav alone has that many


def test_pages_link_to_each_other(strict_site):
    """The navigation reaches every page from the start page."""
    start = strict_site.pages["index.html"]
    linked = set()
    for tag, attr, value, _ in start.urls:
        if tag == "a" and attr == "href":
            resolved = resolve(strict_site, start.path, value)
            if resolved:
                linked.add(resolved[0].replace("/./", "/"))
    missing = [p for p in strict_site.pages if p not in linked and p != "index.html"]
    assert not missing, missing
