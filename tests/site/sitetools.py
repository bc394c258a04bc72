"""Helpers for the site tests: build the site with MkDocs, parse its pages.

A module of its own (not conftest.py) so that test modules can import it:
tests/conftest.py is another module named ``conftest``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SUBPATH = "/kmo/"


def load_hook(name: str):
    """A fresh copy of hooks/kmo_tables.py under ``name`` (its own module state, as MkDocs loads it)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, REPO / "hooks" / "kmo_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mkdocs_build(site_dir: Path, site_url: str, config: Path | None = None, extra_env=None):
    """Run ``mkdocs build --strict``; return (returncode, combined output, seconds)."""
    env = dict(os.environ, SITE_URL=site_url, NO_MKDOCS_2_WARNING="1")
    env.update(extra_env or {})
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict",
           "-f", str(config or REPO / "mkdocs.yml"), "-d", str(site_dir)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - start


@dataclass
class Page:
    """One built HTML page, with what the tests look at."""

    path: str  # relative to the site dir, e.g. "hoeveel-steun/index.html"
    html: str
    title: str = ""
    lang: str = ""
    ids: set = field(default_factory=set)
    # (tag, attribute, value, attrs) for every URL-bearing attribute
    urls: list = field(default_factory=list)
    scripts_inline: list = field(default_factory=list)
    styles_inline: list = field(default_factory=list)
    text: str = ""

    @property
    def is_rekenhulp(self) -> bool:
        return self.path.startswith("rekenhulp/")

    @property
    def uses_engine(self) -> bool:
        """The pages that run the rules in the browser (the rekenhulp's engine)."""
        return self.path.startswith(("rekenhulp/", "planner/", "dienstverleners/"))


class _Parser(HTMLParser):
    URL_ATTRS = {"href", "src", "srcset", "poster", "data", "action", "formaction"}

    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self._in = []
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.page.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.page.ids.add(attrs["name"])
        if tag == "html":
            self.page.lang = attrs.get("lang", "")
        for name, value in attrs.items():
            if name in self.URL_ATTRS and value is not None:
                self.page.urls.append((tag, name, value, attrs))
            if name == "style" and value:
                self.page.styles_inline.append(value)
        self._in.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self._in:
            self._in.pop()

    def handle_endtag(self, tag):
        while self._in:
            if self._in.pop() == tag:
                break

    def handle_data(self, data):
        current = self._in[-1] if self._in else ""
        if current == "title":
            self.page.title += data
        elif current == "script":
            self.page.scripts_inline.append(data)
        elif current == "style":
            self.page.styles_inline.append(data)
        else:
            self._text.append(data)

    def close(self):
        super().close()
        # Collapse ordinary whitespace only: the non-breaking spaces in amounts stay.
        self.page.text = re.sub(r"[ \t\r\n]+", " ", " ".join(self._text)).strip()


def parse_page(site_dir: Path, path: Path) -> Page:
    page = Page(path=path.relative_to(site_dir).as_posix(), html=path.read_text(encoding="utf-8"))
    parser = _Parser(page)
    parser.feed(page.html)
    parser.close()
    page.title = " ".join(page.title.split())
    return page


@dataclass
class SiteBuild:
    dir: Path
    url: str
    port: int
    returncode: int
    output: str
    seconds: float
    pages: dict  # path -> Page (every *.html except 404.html)
    page404: Page | None

# CSS references to other files.
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def is_remote(url: str) -> bool:
    """An absolute URL that leaves the site (http, https or protocol-relative)."""
    return url.strip().lower().startswith(("http:", "https:", "//"))
