"""No page loads anything from another host, and only the rekenhulp page knows Pyodide."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from sitetools import CSS_URL, is_remote

# Elements whose URL the browser fetches by itself.
LOADING = {("script", "src"), ("img", "src"), ("img", "srcset"), ("iframe", "src"),
           ("source", "src"), ("source", "srcset"), ("video", "src"), ("video", "poster"),
           ("audio", "src"), ("embed", "src"), ("object", "data"), ("track", "src"),
           ("input", "src"), ("frame", "src")}


def local_css_files(strict_site, page):
    for tag, attr, value, attrs in page.urls:
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "") and not is_remote(value):
            path = urlsplit(urljoin("http://x/" + page.path, value)).path.lstrip("/")
            yield strict_site.dir / path


def test_no_element_loads_from_another_host(strict_site):
    problems = []
    site_host = urlsplit(strict_site.url).netloc
    for page in list(strict_site.pages.values()) + [strict_site.page404]:
        for tag, attr, value, attrs in page.urls:
            if (tag, attr) in LOADING and is_remote(value):
                problems.append(f"{page.path}: <{tag} {attr}={value!r}>")
            if tag == "link" and is_remote(value):
                rel = (attrs.get("rel") or "").split()
                # A canonical link to the site itself is not a request.
                if not (rel == ["canonical"] and urlsplit(value).netloc == site_host):
                    problems.append(f"{page.path}: <link rel={rel} href={value!r}>")
            if tag == "a" and attr == "href":
                continue  # plain links to sources are fine
        for css in page.styles_inline:
            for match in CSS_URL.finditer(css):
                url = match.group(1) or match.group(2)
                if is_remote(url):
                    problems.append(f"{page.path}: inline CSS url({url})")
    assert not problems, "\n".join(problems)


def test_stylesheets_load_nothing_remote(strict_site):
    problems = []
    for css_file in {f for p in strict_site.pages.values() for f in local_css_files(strict_site, p)}:
        for match in CSS_URL.finditer(css_file.read_text(encoding="utf-8")):
            url = match.group(1) or match.group(2)
            if is_remote(url):
                problems.append(f"{css_file.name}: {url}")
    assert not problems, "\n".join(problems)


def test_no_google_fonts(strict_site):
    for page in strict_site.pages.values():
        assert "fonts.googleapis" not in page.html and "fonts.gstatic" not in page.html, page.path


def test_docs_pages_do_not_load_pyodide(strict_site):
    """Outside the rekenhulp (and the planner and provider pages, which use its
    engine), neither a page nor a script it loads mentions Pyodide."""
    problems = []
    for page in strict_site.pages.values():
        if page.uses_engine:
            continue
        if "pyodide" in page.html.lower():
            problems.append(page.path)
        for tag, attr, value, attrs in page.urls:
            if (tag == "script" and attr == "src") or (tag == "link" and attr == "href"
                                                       and "modulepreload" in (attrs.get("rel") or "")):
                path = urlsplit(urljoin("http://x/" + page.path, value)).path.lstrip("/")
                file = strict_site.dir / path
                if file.is_file() and "pyodide" in file.read_text(encoding="utf-8", errors="replace").lower():
                    problems.append(f"{page.path}: {value}")
    assert not problems, "\n".join(problems)
