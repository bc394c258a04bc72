#!/usr/bin/env python3
"""Build (and optionally serve) the kmo-portefeuille site.

    python build.py [--site-url URL] [--site-dir DIR]      build into site/
    python build.py serve [--port 8000] [--no-build]       build, then serve

Run it inside the project's virtual environment (``./dev`` sets that up).
A build does, in this order:

1. build the ``kmo-portefeuille`` wheel from ``calculator/`` (flit_core, no
   build isolation, fixed ``SOURCE_DATE_EPOCH`` so the bytes never depend on
   when or where it was built);
2. make the rekenhulp's stdlib subset with Node (``build_stdlib``):
   ``node tools/make_stdlib.mjs tools/stdlib-modules.txt --pyc --optimize=2 --lines-only``
   writes the ~60 files of Pyodide's ``python_stdlib.zip`` the rekenhulp
   needs, with ``tools/stdlib-overrides/`` in place (they keep Pyodide's start
   from importing asyncio and the package loader's zipfile/shutil; the rest of
   the stdlib is downloaded only if something imports it), precompiled by
   Pyodide's own CPython to sourceless ``.pyc`` (like ``python -OO``, line
   numbers without column positions), ZIP_STORED (so HTTP gzip works), with
   fixed timestamps and sorted entries (~2 s; cached in the dist directory by
   the hash of its inputs);
3. write ``build-info.json`` (see ``build_info``; with ``stdlib_path`` and
   ``stdlib_sha256``) into the dist directory and export its keys as
   ``KMO_*`` environment variables for MkDocs (``KMO_BUILD_INFO`` = the file:
   hooks/rekenhulp_build.py puts it into the rekenhulp page, with the
   estimate for the form as it opens);
4. run ``mkdocs build --strict`` into the site directory (MkDocs empties it
   first, so the steps below come after it);
5. copy the Pyodide core runtime from ``node_modules/pyodide/`` to
   ``assets/pyodide/<pyodide version>/`` and the stdlib subset to
   ``assets/pyodide/<pyodide version>-kmo-<sha8>/python_stdlib.zip``;
6. copy the wheel to ``assets/kmo/<package version>-<sha8>/`` with a
   ``pyodide-lock.json`` (made with pyodide-lock) that lists just that wheel,
   and ``build-info.json`` to ``assets/kmo/build-info.json``.

The browser then boots (docs/assets/rekenhulp/worker.js) with::

    loadPyodide({indexURL: <runtime dir>, stdLibURL: <stdlib_path>,
                 lockFileContents: <our lock>})           // no source compiled
    pyodide.unpackArchive(<wheel, fetched in parallel, SRI-checked>, "zip",
                          {extractDir: site-packages})

and, if that fails, the classic way (stock stdlib, ``lockFileURL``,
``loadPackage``, sha256 checked). benchmarks/NOTES.md has the numbers.

Two builds of the same tree give byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
CALCULATOR = ROOT / "calculator"
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"
DEFAULT_SITE_DIR = ROOT / "site"
DEFAULT_DIST_DIR = ROOT / "dist"
DEFAULT_CONFIG = ROOT / "mkdocs.yml"
DEFAULT_PORT = 8000
TOOLS = ROOT / "tools"
STDLIB_SCRIPT = TOOLS / "make_stdlib.mjs"
STDLIB_LIST = TOOLS / "stdlib-modules.txt"
STDLIB_OVERRIDES = TOOLS / "stdlib-overrides"
STDLIB_ARGS = ("--pyc", "--optimize=2", "--lines-only")

PACKAGE_NAME = "kmo-portefeuille"
#: What loadPyodide fetches from indexURL (checked in a browser by
#: tests/test_build.py). The runtime's own lock is copied for completeness;
#: the page passes lockFileURL to ours.
RUNTIME_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
#: Timestamp inside the wheel: a constant, so the wheel (and so its hashed
#: URL) changes only when the calculator's files change. 1980-01-01, the
#: earliest date a zip file can hold.
WHEEL_EPOCH = "315532800"
#: Fallback for MkDocs' SOURCE_DATE_EPOCH (sitemap dates) outside git.
FALLBACK_EPOCH = WHEEL_EPOCH

# Site-relative paths (no leading slash; pages resolve them against the
# site's base URL).
RUNTIME_BASE = "assets/pyodide/"
KMO_BASE = "assets/kmo/"
BUILD_INFO_PATH = KMO_BASE + "build-info.json"


class BuildError(RuntimeError):
    """A build step failed; the message says what to do."""


# --------------------------------------------------------------------------
# Build steps
# --------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pyodide_version(npm_dir: Path = PYODIDE_NPM) -> str:
    package_json = npm_dir / "package.json"
    if not package_json.is_file():
        raise BuildError(
            f"{package_json.relative_to(ROOT)} ontbreekt: run `npm ci` first "
            "(./dev does that for you)."
        )
    version = json.loads(package_json.read_text(encoding="utf-8"))["version"]
    missing = [name for name in RUNTIME_FILES if not (npm_dir / name).is_file()]
    if missing:
        raise BuildError(f"node_modules/pyodide {version} lacks {', '.join(missing)}")
    return version


def build_wheel(out_dir: Path) -> Path:
    """Build the calculator's wheel into an empty ``out_dir``; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.whl"):
        old.unlink()
    env = {**os.environ, "SOURCE_DATE_EPOCH": WHEEL_EPOCH}
    # cwd=calculator/: with the repository root as cwd, `python -m build`
    # would import this file (build.py) instead of the `build` package.
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation",
               "--outdir", str(out_dir), "."]
    result = subprocess.run(command, cwd=CALCULATOR, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise BuildError(f"wheel build failed:\n{result.stdout}")
    wheels = sorted(out_dir.glob("*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one wheel in {out_dir}, found {wheels}")
    return wheels[0]


def wheel_version(wheel: Path) -> str:
    # name-version-pythontag-abitag-platformtag.whl
    return wheel.name.split("-")[1]


def build_stdlib(out_dir: Path, npm_dir: Path = PYODIDE_NPM) -> Path:
    """The rekenhulp's stdlib subset (``.pyc -OO``, stored), made with Node.

    Cached in ``out_dir`` by the sha256 of every input (the script, the
    module list, the overrides, Pyodide's stdlib and wasm): the same inputs
    give the same bytes, so a cached file is as good as a new one.
    """
    digest = hashlib.sha256()
    overrides = sorted(p for p in STDLIB_OVERRIDES.rglob("*.py"))
    for path in (STDLIB_SCRIPT, STDLIB_LIST, npm_dir / "python_stdlib.zip",
                 npm_dir / "pyodide.asm.wasm", npm_dir / "package.json", *overrides):
        digest.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(" ".join(STDLIB_ARGS).encode())
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"python_stdlib-{digest.hexdigest()[:16]}.zip"
    if out.is_file():
        return out
    for old in out_dir.glob("python_stdlib-*.zip"):
        old.unlink()
    node = shutil.which("node")
    if not node:
        raise BuildError("Node.js is needed to build the stdlib subset (./dev installs it)")
    tmp = out.with_suffix(".part")
    result = subprocess.run([node, str(STDLIB_SCRIPT), str(STDLIB_LIST), *STDLIB_ARGS, str(tmp)],
                            cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if result.returncode != 0 or not tmp.is_file():
        raise BuildError(f"tools/make_stdlib.mjs failed:\n{result.stdout[-3000:]}")
    tmp.rename(out)
    return out


def build_info(wheel: Path, pyodide: str, site_url: str | None,
               stdlib: Path | None = None) -> dict:
    """The build-info contract: what pages, hooks and tests need to know.

    All paths are relative to the site root and directories end in "/".
    """
    sha = sha256_file(wheel)
    version = wheel_version(wheel)
    runtime_dir = f"{RUNTIME_BASE}{pyodide}/"
    kmo_dir = f"{KMO_BASE}{version}-{sha[:8]}/"
    info = {
        "pyodide_version": pyodide,
        "package_name": PACKAGE_NAME,
        "package_version": version,
        "runtime_dir": runtime_dir,
        "pyodide_module": runtime_dir + "pyodide.mjs",
        "kmo_dir": kmo_dir,
        "wheel_path": kmo_dir + wheel.name,
        "wheel_sha256": sha,
        "lock_path": kmo_dir + "pyodide-lock.json",
        "build_info_path": BUILD_INFO_PATH,
        "site_url": site_url,
    }
    if stdlib is not None:
        stdlib_sha = sha256_file(stdlib)
        info["stdlib_path"] = f"{RUNTIME_BASE}{pyodide}-kmo-{stdlib_sha[:8]}/python_stdlib.zip"
        info["stdlib_sha256"] = stdlib_sha
    # What the rekenhulp's fast boot fetches (not imports), unpacked: its
    # progress shows "x of y MB". The wasm, the stdlib subset and the wheel.
    files = [PYODIDE_NPM / "pyodide.asm.wasm", wheel]
    files += [stdlib] if stdlib is not None else [PYODIDE_NPM / "python_stdlib.zip"]
    info["download_bytes"] = sum(path.stat().st_size for path in files if path.is_file())
    return info


def export_env(info: dict, info_file: Path) -> dict[str, str]:
    """Environment for MkDocs: KMO_BUILD_INFO (the JSON file) and KMO_<KEY>."""
    env = {"KMO_BUILD_INFO": str(info_file)}
    for key, value in info.items():
        env["KMO_" + key.upper()] = "" if value is None else str(value)
    return env


def write_lock(runtime_lock: Path, wheel: Path, dest: Path) -> None:
    """Write a pyodide-lock.json that lists only our wheel, next to it.

    It keeps the runtime lock's ``info`` (Pyodide refuses a lock whose
    abi_version differs from its own) but none of the runtime's packages:
    their wheels are not served by this site. ``file_name`` is the bare wheel
    name, which Pyodide resolves against the lock file's own URL.
    """
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    runtime = PyodideLockSpec.from_json(runtime_lock)
    ours = add_wheels_to_spec(PyodideLockSpec(info=runtime.info, packages={}),
                              [wheel], base_path=wheel.parent)
    ours.to_json(dest, indent=1)


def source_date_epoch() -> str:
    """SOURCE_DATE_EPOCH for MkDocs: the environment's, else HEAD's commit time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out = ""
    return out or FALLBACK_EPOCH


def check_config(config_file: Path) -> None:
    if not config_file.is_file():
        raise BuildError(
            f"{config_file} does not exist (yet): the MkDocs configuration (mkdocs.yml "
            "with docs/) is needed to build the site. Pass --config-file to use another."
        )


def run_mkdocs(config_file: Path, site_dir: Path, env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(config_file), "--site-dir", str(site_dir)]
    result = subprocess.run(command, cwd=config_file.parent, env=env)
    if result.returncode != 0:
        raise BuildError(f"mkdocs build --strict failed (exit {result.returncode})")


def copy_assets(site_dir: Path, info: dict, wheel: Path, info_file: Path,
                stdlib: Path | None = None) -> None:
    runtime_dir = site_dir / info["runtime_dir"]
    kmo_dir = site_dir / info["kmo_dir"]
    for directory in (runtime_dir, kmo_dir):
        if directory.exists():
            raise BuildError(f"{directory} already exists: docs/ must not use it")
        directory.mkdir(parents=True)
    for name in RUNTIME_FILES:
        shutil.copyfile(PYODIDE_NPM / name, runtime_dir / name)
    shutil.copyfile(wheel, kmo_dir / wheel.name)
    write_lock(PYODIDE_NPM / "pyodide-lock.json", kmo_dir / wheel.name,
               kmo_dir / "pyodide-lock.json")
    shutil.copyfile(info_file, site_dir / info["build_info_path"])
    if stdlib is not None:
        target = site_dir / info["stdlib_path"]
        if target.parent.exists():
            raise BuildError(f"{target.parent} already exists: docs/ must not use it")
        target.parent.mkdir(parents=True)
        shutil.copyfile(stdlib, target)


def build(site_dir: Path = DEFAULT_SITE_DIR, *, site_url: str | None = None,
          config_file: Path = DEFAULT_CONFIG, dist_dir: Path = DEFAULT_DIST_DIR,
          log=print) -> dict:
    """Build the whole site into ``site_dir``; return the build info."""
    site_dir, dist_dir = Path(site_dir).resolve(), Path(dist_dir).resolve()
    config_file = Path(config_file).resolve()
    site_url = site_url or os.environ.get("SITE_URL") or None
    check_config(config_file)
    pyodide = pyodide_version()

    log("• building the wheel from calculator/ …")
    wheel = build_wheel(dist_dir)
    log("• stdlib subset (.pyc -OO, tools/stdlib-overrides/) with Node …")
    stdlib = build_stdlib(dist_dir / "stdlib")
    info = build_info(wheel, pyodide, site_url, stdlib)
    info_file = dist_dir / "build-info.json"
    info_file.write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    log(f"• mkdocs build --strict → {site_dir}" + (f" (site_url {site_url})" if site_url else ""))
    env = {**os.environ, **export_env(info, info_file),
           "SOURCE_DATE_EPOCH": source_date_epoch(), "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["SITE_URL"] = site_url
    run_mkdocs(config_file, site_dir, env)

    log(f"• Pyodide {pyodide} → {info['runtime_dir']}, {wheel.name} → {info['kmo_dir']}")
    copy_assets(site_dir, info, wheel, info_file, stdlib)
    return info


# --------------------------------------------------------------------------
# Static server
# --------------------------------------------------------------------------

#: Versioned directories never change content: let browsers keep them.
IMMUTABLE = re.compile(r"/assets/(?:pyodide|kmo)/[^/]+/[^/]+$")


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves a built site under ``base_path`` with the MIME types Pyodide needs."""

    protocol_version = "HTTP/1.1"
    base_path = "/"
    quiet = False
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".json": "application/json",
        ".map": "application/json",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
        ".zip": "application/zip",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
        ".gz": "application/gzip",
        ".webmanifest": "application/manifest+json",
        ".woff2": "font/woff2",
    }

    def _site_path(self) -> str | None:
        """The request path relative to base_path, or None if outside it."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.base_path):
            return None
        return "/" + path[len(self.base_path):]

    def translate_path(self, path: str) -> str:
        site_path = self._site_path()
        if site_path is None:
            return str(Path(self.directory) / ".no-such-file")
        return super().translate_path(site_path)

    def send_head(self):
        if self.base_path != "/" and self.path.split("?", 1)[0] in ("/", ""):
            self.send_response(302)
            self.send_header("Location", self.base_path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().send_head()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()  # like GitHub Pages: the site's own 404 page
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self):
        immutable = IMMUTABLE.search(self.path.split("?", 1)[0])
        self.send_header("Cache-Control",
                         "public, max-age=31536000, immutable" if immutable else "no-cache")
        super().end_headers()

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


def make_server(site_dir: Path, host: str = "127.0.0.1", port: int = 0,
                base_path: str = "/", quiet: bool = False) -> ThreadingHTTPServer:
    """An HTTP server for ``site_dir`` (port 0: a free one; see ``server_url``)."""
    if not base_path.endswith("/"):
        base_path += "/"
    handler = type("BoundSiteHandler", (SiteHandler,),
                   {"base_path": base_path, "quiet": quiet})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(site_dir)))
    server.daemon_threads = True
    server.base_path = base_path
    return server


def server_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}{server.base_path}"


def start_server(site_dir: Path, **kwargs) -> ThreadingHTTPServer:
    """Start ``make_server(...)`` in a daemon thread; stop it with ``.shutdown()``."""
    server = make_server(site_dir, **kwargs)
    threading.Thread(target=server.serve_forever, name="site-server", daemon=True).start()
    return server


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=("build", "serve"), default="build",
                        help="build (default) or build and serve")
    parser.add_argument("--site-dir", type=Path, default=DEFAULT_SITE_DIR)
    parser.add_argument("--dist-dir", type=Path, default=DEFAULT_DIST_DIR,
                        help="where the wheel and build-info.json go (default dist/)")
    parser.add_argument("--config-file", type=Path, default=DEFAULT_CONFIG,
                        help="MkDocs configuration (default mkdocs.yml)")
    parser.add_argument("--site-url", default=os.environ.get("SITE_URL"),
                        help="the site's public URL, e.g. https://owner.github.io/repo/ "
                             "(default: $SITE_URL; for serve http://127.0.0.1:PORT/)")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to bind")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="serve: port")
    parser.add_argument("--no-build", action="store_true", help="serve: serve site/ as it is")
    args = parser.parse_args(argv)

    site_url = args.site_url
    if args.command == "serve" and not site_url:
        site_url = f"http://{args.host}:{args.port}/"
    try:
        if not args.no_build:
            build(args.site_dir, site_url=site_url, config_file=args.config_file,
                  dist_dir=args.dist_dir)
    except BuildError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 1
    if args.command == "build":
        print(f"Site built in {args.site_dir}")
        return 0

    base_path = urlsplit(site_url).path or "/"
    server = make_server(args.site_dir, args.host, args.port, base_path)
    print(f"Serving the site on {server_url(server)}  (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
