"""The build (build.py): runtime, stdlib subset and wheel in the site, the lock
file, the inline build-info and prerendered estimate of the rekenhulp, the
server, reproducibility, a GitHub Pages sub-path, and Pyodide in a browser."""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from pyodide_lock import PyodideLockSpec

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(url: str, method: str = "GET"):
    """(status, headers, body) of a request; HTTP errors are answers too."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


# --- the files --------------------------------------------------------------


def test_runtime_is_copied_under_its_version(built_site, build_info, site_build):
    version = json.loads((PYODIDE_NPM / "package.json").read_text())["version"]
    assert build_info["pyodide_version"] == version
    assert build_info["runtime_dir"] == f"assets/pyodide/{version}/"
    assert build_info["pyodide_module"] == build_info["runtime_dir"] + "pyodide.mjs"
    runtime = built_site / build_info["runtime_dir"]
    assert sorted(p.name for p in runtime.iterdir()) == sorted(site_build.RUNTIME_FILES)
    for name in site_build.RUNTIME_FILES:
        assert sha256(runtime / name) == sha256(PYODIDE_NPM / name), name


def test_wheel_sits_under_version_and_hash(built_site, build_info):
    wheel = built_site / build_info["wheel_path"]
    digest = sha256(wheel)
    version = build_info["package_version"]
    assert digest == build_info["wheel_sha256"]
    assert build_info["kmo_dir"] == f"assets/kmo/{version}-{digest[:8]}/"
    assert wheel.parent == built_site / build_info["kmo_dir"]
    assert wheel.name == f"kmo_portefeuille-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "kmo_portefeuille/__init__.py" in names
        # SOURCE_DATE_EPOCH fixed at 1980-01-01: nothing of the build's time.
        assert {info.date_time[:3] for info in archive.infolist()} == {(1980, 1, 1)}
        metadata = archive.read(f"kmo_portefeuille-{version}.dist-info/METADATA").decode()
    assert re.search(r"^Name: kmo-portefeuille$", metadata, re.M)
    assert re.search(rf"^Version: {re.escape(version)}$", metadata, re.M)


def test_lock_file_lists_the_wheel_with_its_hash(built_site, build_info):
    lock = PyodideLockSpec.from_json(built_site / build_info["lock_path"])  # validates
    runtime_lock = PyodideLockSpec.from_json(PYODIDE_NPM / "pyodide-lock.json")
    # Pyodide refuses a lock file whose ABI differs from its own.
    assert lock.info == runtime_lock.info
    assert list(lock.packages) == ["kmo-portefeuille"]
    package = lock.packages["kmo-portefeuille"]
    wheel = built_site / build_info["wheel_path"]
    # A bare file name: Pyodide resolves it against the lock file's URL.
    assert package.file_name == wheel.name
    assert package.sha256 == sha256(wheel) == build_info["wheel_sha256"]
    assert package.version == build_info["package_version"]
    assert package.imports == ["kmo_portefeuille"]
    assert package.depends == []  # standard library only
    assert package.install_dir == "site" and package.package_type == "package"


def test_build_info_paths_exist(built_site, build_info):
    for key in ("runtime_dir", "kmo_dir"):
        assert build_info[key].endswith("/") and (built_site / build_info[key]).is_dir()
    for key in ("pyodide_module", "wheel_path", "lock_path", "build_info_path", "stdlib_path"):
        assert not build_info[key].startswith("/") and (built_site / build_info[key]).is_file()


def test_stdlib_subset_is_stored_sourceless_pyc_under_a_versioned_path(built_site, build_info):
    """tools/make_stdlib.mjs: .pyc -OO of Pyodide's own CPython, ZIP_STORED, fixed times, sorted."""
    path = build_info["stdlib_path"]
    digest = sha256(built_site / path)
    assert build_info["stdlib_sha256"] == digest
    assert path == f"assets/pyodide/{build_info['pyodide_version']}-kmo-{digest[:8]}/python_stdlib.zip"
    runtime_magic = None
    with zipfile.ZipFile(PYODIDE_NPM / "python_stdlib.zip") as stock:
        stock_names = set(stock.namelist())
    with zipfile.ZipFile(built_site / path) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        files = [n for n in names if not n.endswith("/")]
        assert {info.compress_type for info in infos} == {zipfile.ZIP_STORED}
        assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert not [n for n in files if n.endswith(".py")]  # sourceless
        for needed in ("decimal.pyc", "datetime.pyc", "json/__init__.pyc", "tomllib/__init__.pyc",
                       "pyodide/__init__.pyc", "_pyodide/__init__.pyc"):
            assert needed in files, needed
        # Pyodide's files, and tools/stdlib-overrides/ (replacing some, adding _kmo_stdlib).
        overrides = {str(p.relative_to(ROOT / "tools" / "stdlib-overrides")) + "c"
                     for p in (ROOT / "tools" / "stdlib-overrides").rglob("*.py")}
        assert {"_kmo_stdlib.pyc", "asyncio/__init__.pyc", "pyodide/_package_loader.pyc"} <= overrides
        assert overrides <= set(files)
        assert all(n[:-1] in stock_names for n in files if n.endswith(".pyc") and n not in overrides)
        # What the start no longer imports stays out (the overrides' reason to be).
        for left_out in ("asyncio/base_events.pyc", "zipfile/__init__.pyc", "shutil.pyc", "subprocess.pyc",
                         "pathlib/__init__.pyc", "logging/__init__.pyc", "pyodide/webloop.pyc"):
            assert left_out not in files, left_out
        assert 40 < len(files) < len(stock_names) / 4
        headers = {archive.read(n)[:4] for n in files if n.endswith(".pyc")}
        assert len(headers) == 1  # one magic number: one CPython (Pyodide's)
        runtime_magic = headers.pop()
    dirs = sorted(n for n in names if n.endswith("/"))
    assert names == dirs + sorted(files)
    assert runtime_magic[2:4] == b"\r\n"


def test_stdlib_subset_answers_as_the_stock_stdlib_and_fetches_the_rest_only_when_needed(
        built_site, build_info, case_data, tmp_path):
    """tools/check_stdlib_subset.mjs, in Node with Pyodide's own CPython: the subset with
    tools/stdlib-overrides/ gives every case the stock stdlib's answer without downloading
    anything; a module outside it still imports (from the complete stdlib, once); asyncio
    becomes the real one with Pyodide's event loop when used."""
    node = shutil.which("node")
    assert node, "Node.js is needed (./dev installs it)"
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps([case.request for case in case_data.load_cases()], default=str),
                     encoding="utf-8")
    done = subprocess.run([node, str(ROOT / "tools" / "check_stdlib_subset.mjs"),
                           str(built_site / build_info["stdlib_path"]),
                           str(built_site / build_info["wheel_path"]), str(cases)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    last = (done.stdout.strip().splitlines() or ["{}"])[-1]
    assert done.returncode == 0, (last, done.stderr[-2000:])
    report = json.loads(last)
    assert report["ok"] and report["cases"] >= 60 and report["same_answers"], report


def _rekenhulp_hook():
    path = ROOT / "hooks" / "rekenhulp_build.py"
    spec = importlib.util.spec_from_file_location("kmo_rekenhulp_build_test", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))  # as MkDocs loads hooks: siblings importable
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def test_rekenhulp_page_carries_build_info_inline(built_site, build_info):
    page = (built_site / "rekenhulp" / "index.html").read_text(encoding="utf-8")
    head = page.split("</head>", 1)[0]
    found = re.findall(r'<script type="application/json" id="kmo-build-info">(.*?)</script>', head, re.S)
    assert len(found) == 1
    assert json.loads(found[0]) == build_info
    # The worker is started from <head> (async module), before the page is parsed.
    assert re.search(r'<script type="module" async src="[^"]*assets/rekenhulp/start\.js">', head)
    # Only the rekenhulp: the docs pages know nothing of Pyodide.
    start = (built_site / "index.html").read_text(encoding="utf-8")
    assert "kmo-build-info" not in start and "assets/pyodide" not in start


def test_rekenhulp_page_carries_the_estimate_for_its_example_computed_by_cpython(built_site):
    """Visible at first paint: CPython's estimate for the example the form opens
    with (build date), drawn by the page's own view, with the example's values
    in the form's fields."""
    import datetime as dt

    import kmo_portefeuille

    page = (built_site / "rekenhulp" / "index.html").read_text(encoding="utf-8")
    outputs = re.findall(r'<div class="kmo-rh__output" data-kmo="output"([^>]*)>', page)
    assert len(outputs) == 1
    attrs = outputs[0]
    assert 'data-state="prerendered"' in attrs and " hidden" not in attrs
    request = json.loads(html.unescape(re.search(r'data-request="([^"]*)"', attrs).group(1)))
    day = dt.date.fromisoformat(re.search(r'data-peildatum="([^"]*)"', attrs).group(1))
    hook = _rekenhulp_hook()
    assert request == hook.default_request(day)
    want = kmo_portefeuille.estimate(request)
    assert want["eligible"] and want["support"] != "0.00"
    # Every figure the page shows is CPython's, for the example of that day.
    done = hook.prerender(day)
    assert done["html"] in page and done["steps"] in page
    values = dict(re.findall(r'data-result="([^"]+)" data-value="([^"]*)"', done["html"]))
    flat = {**want, **want["deadlines"], "eligible": json.dumps(want["eligible"])}
    assert {"support", "own_share", "apply_by", "rate", "eligible"} <= set(values)
    assert all(flat[key] == value for key, value in values.items()), values
    assert html.unescape(done["html"]).count("€\u00a0600,00") == 1  # 30 % of € 2.000 (small, 2026)
    assert done["steps"].count("<li ") == len(want["steps"])
    # The form holds the example as a person would type it.
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)" data-example', page))
    assert fields == {"enterprise.fte": "8", "enterprise.turnover": "900.000", "cost": "2.000"}
    assert re.search(r'<option value="digitalisation" selected>', page)
    assert "een kleine onderneming met 8 werknemers en €\u00a0900.000 jaaromzet" in html.unescape(page)


def test_the_example_keeps_its_amounts_for_every_day_of_its_rule_period():
    """rekenhulp.js keeps the prerendered amounts on another day of the same
    rule period (data-valid-from .. data-valid-until): check that assumption
    on the first and last day of several periods, with the deadlines left out."""
    import datetime as dt

    import kmo_portefeuille

    hook = _rekenhulp_hook()

    def amounts(day):
        answer = kmo_portefeuille.estimate(hook.default_request(day))
        return {key: value for key, value in answer.items() if key not in ("deadlines", "steps")}

    for day in ("2017-06-01", "2019-11-30", "2019-12-01", "2022-06-15", "2024-03-01", "2026-11-27"):
        day = dt.date.fromisoformat(day)
        first, after = hook.rule_period(day)
        first = dt.date.fromisoformat(first)
        assert first <= day
        last = dt.date.fromisoformat(after) - dt.timedelta(days=1) if after else day + dt.timedelta(days=400)
        assert day <= last
        assert amounts(first) == amounts(day) == amounts(last), day
    assert hook.rule_period(dt.date(2019, 11, 30))[1] == "2019-12-01"


def test_mkdocs_uses_the_site_url_it_was_given(built_site, build_info):
    """mkdocs.yml must read `site_url: !ENV [SITE_URL, ...]`: the sitemap shows it."""
    if not build_info["site_url"]:
        pytest.skip("site built without a site_url")
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith(build_info["site_url"]) for loc in locations)


def test_a_mkdocs_warning_fails_the_build(site_build, tmp_path):
    """--strict really applies (mkdocs --quiet, for one, would hide warnings from it)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Test\n\n[kapot](bestaat-niet.md)\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: test\ntheme: mkdocs\n")
    with pytest.raises(site_build.BuildError, match="strict"):
        site_build.build(tmp_path / "site", config_file=config, dist_dir=tmp_path / "dist",
                         log=lambda *_: None)


# --- the server -------------------------------------------------------------


@pytest.mark.parametrize("key, mime", [
    ("pyodide_module", "text/javascript"),
    ("runtime_dir:pyodide.asm.mjs", "text/javascript"),
    ("runtime_dir:pyodide.asm.wasm", "application/wasm"),
    ("runtime_dir:python_stdlib.zip", "application/zip"),
    ("lock_path", "application/json"),
    ("build_info_path", "application/json"),
    ("wheel_path", "application/zip"),
    ("stdlib_path", "application/zip"),
])
def test_server_sends_mime_types_and_cache_headers(plain_site_url, build_info, key, mime):
    site_url = plain_site_url
    base, _, name = key.partition(":")
    path = build_info[base] + name
    status, headers, body = fetch(site_url + path, method="HEAD")
    assert status == 200
    assert headers.get_content_type() == mime
    versioned = not path.endswith("build-info.json")
    assert ("immutable" in headers["Cache-Control"]) == versioned


def test_server_pages_and_404(plain_site_url):
    site_url = plain_site_url
    status, headers, body = fetch(site_url)
    assert status == 200 and headers.get_content_type() == "text/html"
    assert headers["Cache-Control"] == "no-cache"
    status, headers, _ = fetch(site_url + "bestaat-niet/")
    assert status == 404 and headers.get_content_type() == "text/html"


# --- reproducibility and a sub-path (as on GitHub Pages) --------------------


@pytest.fixture(scope="module")
def subpath_builds(site_build, tmp_path_factory):
    """Two builds, into temporary directories, for http://127.0.0.1:PORT/kmo-portefeuille/."""
    tmp = tmp_path_factory.mktemp("builds")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    site_url = f"http://127.0.0.1:{port}/kmo-portefeuille/"
    sites = []
    for name in ("a", "b"):
        site_build.build(tmp / name, site_url=site_url, dist_dir=tmp / f"dist-{name}",
                         log=lambda *_: None)
        sites.append(tmp / name)
    return site_url, sites


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256(p)
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_identical(subpath_builds):
    _, (a, b) = subpath_builds
    hashes_a, hashes_b = tree_hashes(a), tree_hashes(b)
    assert len(hashes_a) > 5
    assert sorted(hashes_a) == sorted(hashes_b)
    different = [path for path in hashes_a if hashes_a[path] != hashes_b[path]]
    assert different == []
    # The stdlib subset was made twice by Node (two dist directories, no
    # shared cache) and came out byte-identical.
    info = json.loads((a / "assets/kmo/build-info.json").read_text())
    assert hashes_a[info["stdlib_path"]] == hashes_b[info["stdlib_path"]] == info["stdlib_sha256"]


def test_site_works_under_a_sub_path(subpath_builds, site_build):
    site_url, (site, _) = subpath_builds
    info = json.loads((site / site_build.BUILD_INFO_PATH).read_text())
    assert info["site_url"] == site_url
    port = int(site_url.split(":")[2].split("/")[0])
    server = site_build.start_server(site, port=port, base_path="/kmo-portefeuille/",
                                     quiet=True)
    try:
        status, _, body = fetch(site_url)
        assert status == 200
        # Links that MkDocs made absolute stay inside the sub-path.
        absolute = re.findall(r'(?:href|src)="(/[^/"][^"]*)"', body.decode())
        assert all(link.startswith("/kmo-portefeuille/") for link in absolute), absolute
        assert fetch(site_url + info["lock_path"], "HEAD")[0] == 200
        assert fetch(site_url + info["pyodide_module"], "HEAD")[0] == 200
        assert fetch(f"http://127.0.0.1:{port}/{info['lock_path']}", "HEAD")[0] == 404
    finally:
        server.shutdown()
        server.server_close()


# --- Pyodide in the browser -------------------------------------------------

LOAD_PACKAGE_JS = """
async ({runtime, lock}) => {
  const { loadPyodide } = await import(runtime + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: runtime, lockFileURL: lock });
  // loadPackage reports a failed download through errorCallback; it does not throw.
  const errors = [];
  await pyodide.loadPackage("kmo-portefeuille", { errorCallback: (m) => errors.push(m) });
  const version = pyodide.runPython(`
import importlib.metadata as m, importlib.util as u
m.version("kmo-portefeuille") if u.find_spec("kmo_portefeuille") else None
`);
  return { version, errors };
}
"""


def _boot_args(site_url, build_info):
    return {"runtime": site_url + build_info["runtime_dir"],
            "lock": site_url + build_info["lock_path"]}


@pytest.mark.timeout(120)
def test_pyodide_installs_the_wheel_from_the_site(page, site_url, build_info):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url)
    result = page.evaluate(LOAD_PACKAGE_JS, _boot_args(site_url, build_info))
    assert result == {"version": build_info["package_version"], "errors": []}
    assert site_url + build_info["wheel_path"] in requested
    foreign = [url for url in requested
               if not url.startswith(site_url) and not url.startswith("data:")]
    assert foreign == []  # nothing from a CDN or any other host


@pytest.mark.timeout(120)
def test_pyodide_refuses_a_wheel_whose_hash_differs(page, site_url, build_info):
    def tampered(route):
        body = bytearray(route.fetch().body())
        body[-1] ^= 0xFF
        route.fulfill(status=200, body=bytes(body), content_type="application/zip")

    console = []
    page.on("console", lambda message: console.append(message.text))
    page.route("**/*.whl", tampered)
    page.goto(site_url)
    result = page.evaluate(LOAD_PACKAGE_JS, _boot_args(site_url, build_info))
    assert result["version"] is None and result["errors"]
    assert any("integrity" in text for text in console), console  # Chromium's SRI check


def test_the_browser_tests_are_served_like_github_pages(site_url, build_info):
    """tests/pages_server.py: max-age=600 on every file, gzip, and 304 for a known ETag."""
    import urllib.request

    for path in ("", build_info["wheel_path"], build_info["runtime_dir"] + "pyodide.asm.wasm"):
        request = urllib.request.Request(site_url + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Cache-Control"] == "max-age=600", path
            assert response.headers["Content-Encoding"] == "gzip", path
            etag = response.headers["ETag"]
        again = urllib.request.Request(site_url + path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
        try:
            urllib.request.urlopen(again)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        assert status == 304, path
