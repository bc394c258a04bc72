"""The pages are our own Dutch text: no run of 8 words shared with the 2019 seed page."""

from __future__ import annotations

import re

import pytest

from sitetools import REPO

SEED_NAME = "seed-kmo-portefeuille-page-2019.txt"
RUN = 8


def seed_path():
    for candidate in (REPO.parent / "shared" / "sources" / SEED_NAME, REPO / "shared" / "sources" / SEED_NAME):
        if candidate.exists():
            return candidate
    return None


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def runs(text: str) -> set[tuple[str, ...]]:
    """Every run of RUN consecutive words; a '|' (cell or link boundary) breaks a run."""
    out = set()
    for part in text.split("|"):
        w = words(part)
        out |= {tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}
    return out


def article_text(html: str) -> str:
    """The text of the page body, without the titles of cited sources.

    A link to an outside source carries that source's own title (from the
    rules package's sources.toml); quoting a title is citing, not copying.
    """
    match = re.search(r"<article[^>]*>(.*?)</article>", html, re.S)
    body = match.group(1) if match else html
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r'<a [^>]*href="https?://[^"]*"[^>]*>.*?</a>', " | ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_no_sentence_copied_from_the_seed_page(strict_site):
    path = seed_path()
    if path is None:
        pytest.skip("shared/sources/ (seed page) not beside the repository")
    seed = runs(path.read_text(encoding="utf-8"))
    problems = []
    for page in strict_site.pages.values():
        shared = runs(article_text(page.html)) & seed
        problems += [f"{page.path}: {' '.join(run)}" for run in sorted(shared)]
    assert not problems, "\n".join(problems)


def test_markdown_sources_share_no_run_with_the_seed():
    path = seed_path()
    if path is None:
        pytest.skip("shared/sources/ (seed page) not beside the repository")
    seed = runs(path.read_text(encoding="utf-8"))
    problems = []
    for md in sorted((REPO / "docs").rglob("*.md")):
        shared = runs(md.read_text(encoding="utf-8")) & seed
        problems += [f"{md.relative_to(REPO)}: {' '.join(run)}" for run in sorted(shared)]
    assert not problems, "\n".join(problems)
