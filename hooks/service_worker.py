"""MkDocs hook: writes the service worker to the site root (``sw.js``).

The source is ``hooks/templates/sw.js``; its line ``const BUILD = null;`` is
replaced with this build's versions, taken from the ``KMO_*`` environment
variables that build.py exports while MkDocs runs:

* ``KMO_PYODIDE_VERSION``, ``KMO_PACKAGE_VERSION``, ``KMO_WHEEL_SHA256``,
  ``KMO_RUNTIME_DIR`` (``assets/pyodide/<pyodide version>/``) and
  ``KMO_KMO_DIR`` (``assets/kmo/<package version>-<sha8>/``): required; the
  build stops (PluginError) when one is missing or does not fit the others.
  Only a plain ``mkdocs build`` with no ``KMO_*`` build info at all (the
  pages alone, without a runtime: tests/site/ build so) writes no sw.js;
* every other ``KMO_*`` value that names a file or directory inside a
  versioned directory under ``assets/pyodide/`` or ``assets/kmo/`` (e.g.
  ``KMO_STDLIB_PATH``, ``assets/pyodide/<pyodide version>-kmo-<sha8>/...``)
  adds that directory. Only file *directories* matter, never file names.

``BUILD`` holds ``build`` (this build's id: ``<runtime key>_<package key>``,
also on every page as ``<meta name="kmo-build">``, see ``on_env``), ``files``
(what the rekenhulp's fast boot needs offline), those directories (``dirs``:
``runtime`` and ``package``) and the cache names (``caches``), which carry the
versions:

* ``runtime-<pyodide version>[+<suffix of each extra runtime directory>]``
* ``package-<package version>-<wheel sha8>``
* ``pages-<runtime key>_<package key>``: the pages too, since an old page
  of the rekenhulp would ask for an old runtime.
* ``snapshot``: the rekenhulp's memory snapshot, made in the browser; its
  one entry's key carries the versions, and the rekenhulp's worker replaces it.

The service worker adds the site's path to each name and deletes its other
caches when it activates. sw.js is at the site root, so its scope is the
whole site, also under a sub-path.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

TEMPLATE = Path(__file__).resolve().parent / "templates" / "sw.js"
OUTPUT = "sw.js"
MARKER = "const BUILD = null;"
#: The marker as a line of its own (the template's comments may mention it).
MARKER_LINE = re.compile(r"^const BUILD = null;", re.M)
REQUIRED = ("KMO_PYODIDE_VERSION", "KMO_PACKAGE_VERSION", "KMO_WHEEL_SHA256",
            "KMO_RUNTIME_DIR", "KMO_KMO_DIR")
#: A path inside a versioned directory: assets/pyodide/<dir>/... or assets/kmo/<dir>/...
VERSIONED = re.compile(r"^assets/(pyodide|kmo)/([^/]+)/")
SAFE = re.compile(r"^[0-9A-Za-z.+_-]+$")


def plain_mkdocs(env=None) -> bool:
    """True for a plain ``mkdocs build`` (no build.py, so no runtime in the site).

    build.py always exports KMO_BUILD_INFO with the versions; with neither,
    MkDocs builds the pages alone (as tests/site/ do) and there is nothing for
    a service worker to keep apart. Anything in between is an error.
    """
    env = os.environ if env is None else env
    return not env.get("KMO_BUILD_INFO") and not any(env.get(name) for name in REQUIRED)


def build_values(env=None) -> dict:
    """The ``BUILD`` object for sw.js from ``KMO_*`` variables; PluginError if they do not fit."""
    env = os.environ if env is None else env
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        raise PluginError(
            f"hooks/service_worker.py: {', '.join(missing)} not set. The service worker "
            "needs the versions of the runtime and the package: build with build.py "
            "(./dev build), which exports them while MkDocs runs.")
    pyodide, package = env["KMO_PYODIDE_VERSION"], env["KMO_PACKAGE_VERSION"]
    sha8 = env["KMO_WHEEL_SHA256"][:8]
    runtime_dir, kmo_dir = env["KMO_RUNTIME_DIR"], env["KMO_KMO_DIR"]
    if runtime_dir != f"assets/pyodide/{pyodide}/":
        raise PluginError(f"hooks/service_worker.py: KMO_RUNTIME_DIR={runtime_dir!r} is not "
                          f"assets/pyodide/{pyodide}/ (KMO_PYODIDE_VERSION)")
    if kmo_dir != f"assets/kmo/{package}-{sha8}/":
        raise PluginError(f"hooks/service_worker.py: KMO_KMO_DIR={kmo_dir!r} is not "
                          f"assets/kmo/{package}-{sha8}/ (KMO_PACKAGE_VERSION, KMO_WHEEL_SHA256)")
    for name in ("KMO_PYODIDE_VERSION", "KMO_PACKAGE_VERSION"):
        if not SAFE.match(env[name]):
            raise PluginError(f"hooks/service_worker.py: {name}={env[name]!r} is not a version")

    dirs: dict[str, set[str]] = {"runtime": {runtime_dir}, "package": {kmo_dir}}
    for name, value in sorted(env.items()):
        match = VERSIONED.match(value or "") if name.startswith("KMO_") else None
        if match:
            area, directory = match.groups()
            kind = "runtime" if area == "pyodide" else "package"
            # A runtime directory belongs to this Pyodide; a package directory to this wheel.
            if kind == "runtime" and not (directory == pyodide or directory.startswith(pyodide + "-")):
                raise PluginError(f"hooks/service_worker.py: {name}={value!r} is not in a "
                                  f"directory of Pyodide {pyodide} (assets/pyodide/{pyodide}[-...]/)")
            if kind == "package" and not directory.startswith(f"{package}-"):
                raise PluginError(f"hooks/service_worker.py: {name}={value!r} is not in a "
                                  f"directory of package {package} (assets/kmo/{package}-.../)")
            if not SAFE.match(directory):
                raise PluginError(f"hooks/service_worker.py: {name}={value!r}: unexpected directory name")
            dirs[kind].add(match.group(0))

    def key(kind: str, base: str) -> str:
        extra = sorted(d.split("/")[2] for d in dirs[kind] if d.split("/")[2] != base)
        return "+".join([base] + [e[len(pyodide) + 1:] if kind == "runtime" else e for e in extra])

    runtime_key, package_key = key("runtime", pyodide), key("package", f"{package}-{sha8}")
    # What the rekenhulp needs offline (its fast boot path, worker.js): a new
    # version of the service worker fetches these at install when the visitor
    # had the old version's copies, before the old caches go.
    files = [env.get("KMO_PYODIDE_MODULE") or runtime_dir + "pyodide.mjs",
             runtime_dir + "pyodide.asm.mjs", runtime_dir + "pyodide.asm.wasm",
             env.get("KMO_STDLIB_PATH"), env.get("KMO_LOCK_PATH") or kmo_dir + "pyodide-lock.json",
             env.get("KMO_WHEEL_PATH")]
    return {
        # Which version a page is (<meta name="kmo-build"> on every page, main.html):
        # the one answer to "which version is this page" for the service worker and
        # the rekenhulp (engine.js); it changes with the runtime and the package (the rules).
        "build": f"{runtime_key}_{package_key}",
        "files": [path for path in files if path],
        "pyodide_version": pyodide,
        "package_version": package,
        "wheel_sha256": env["KMO_WHEEL_SHA256"],
        "dirs": {kind: sorted(found) for kind, found in dirs.items()},
        "caches": {
            "runtime": f"runtime-{runtime_key}",
            "package": f"package-{package_key}",
            "pages": f"pages-{runtime_key}_{package_key}",
            # The rekenhulp's memory snapshot (docs/assets/rekenhulp/worker.js):
            # one name for every version, since its entries carry the versions
            # and the worker replaces them; kept here so that activate keeps it.
            "snapshot": "snapshot",
        },
    }


def render(values: dict, template: str | None = None) -> str:
    """sw.js: the template with ``BUILD`` filled in (deterministic JSON)."""
    source = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    if len(MARKER_LINE.findall(source)) != 1:
        raise PluginError(f"hooks/service_worker.py: {TEMPLATE} must start exactly one line "
                          f"with {MARKER!r}")
    text = json.dumps(values, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return MARKER_LINE.sub(lambda _: f"const BUILD = {text};", source, count=1)


log = logging.getLogger("mkdocs.hooks.service_worker")
_values: dict | None = None


def on_config(config, **kwargs):
    # Fail before any page is built.
    global _values
    _values = None if plain_mkdocs() else build_values()
    return config


def on_env(env, config, files, **kwargs):
    # <meta name="kmo-build" content="..."> on every page (overrides/main.html).
    env.globals["kmo_build"] = _values["build"] if _values else None
    return env


def on_post_build(config, **kwargs):
    target = Path(config["site_dir"]) / OUTPUT
    if _values is None:
        log.info("hooks/service_worker.py: no KMO_* build info (plain mkdocs build, "
                 "not build.py): the site gets no %s", OUTPUT)
        return
    target.write_text(render(_values), encoding="utf-8")
