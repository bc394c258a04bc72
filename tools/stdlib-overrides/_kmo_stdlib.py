"""The rest of the standard library, downloaded only when something needs it.

The rekenhulp boots with a subset of Pyodide's python_stdlib.zip (see
tools/stdlib-overrides/README.md). So that nothing breaks when a module outside
that subset is imported after all, the first such import downloads Pyodide's
complete python_stdlib.zip from the runtime's own folder and puts it behind the
subset on ``sys.path`` (and behind the subset's part of every package, for a
submodule such as ``encodings.cp1252``). Only modules that the complete stdlib
has count (``STOCK_MODULES``, filled in by tools/make_stdlib.mjs): an optional
import such as ``import numpy`` or ``import _pydecimal`` fails at once, as it
would without this, and downloads nothing.

The download is a synchronous XMLHttpRequest, which only a worker may make (the
rekenhulp's Python runs in one). ``fetched`` is the path of the complete zip
once it is there, else None: the browser tests check that the rekenhulp never
needs it, since 2.5 MB more is what the subset is there to save.
"""

import sys
from importlib.machinery import PathFinder

#: Every module and package of the complete python_stdlib.zip that the subset
#: lacks (dotted names); make_stdlib.mjs replaces this line.
STOCK_MODULES = frozenset()

#: Where the complete stdlib was written, once it was needed.
fetched = None

_TARGET = "/lib/python_stdlib_complete.zip"


def _download(url):
    """The bytes at ``url``, fetched synchronously (a worker only)."""
    try:
        from js import XMLHttpRequest
    except ImportError:
        raise ImportError(f"the complete standard library ({url}) cannot be fetched here") from None
    request = XMLHttpRequest.new()
    request.open("GET", url, False)
    request.responseType = "arraybuffer"
    request.send()
    if request.status != 200:
        raise ImportError(f"the complete standard library ({url}) answered HTTP {request.status}")
    return request.response.to_bytes()


def complete_stdlib():
    """The path of the complete python_stdlib.zip, downloaded the first time, on ``sys.path``."""
    global fetched
    if fetched is None:
        from pyodide_js._api import config

        data = _download(config.indexURL + "python_stdlib.zip")
        with open(_TARGET, "wb") as out:
            out.write(data)
        sys.path.append(_TARGET)
        fetched = _TARGET
        print(f"kmo-portefeuille: downloaded the complete standard library ({len(data):,} bytes)",
              file=sys.stderr)
    return fetched


def stock_code(path):
    """The code of ``path`` ("asyncio/__init__") in the complete stdlib, downloaded the first time.

    For a stand-in of this subset that becomes the stock module when it is used."""
    import zipimport

    folder, _, name = f"{complete_stdlib()}/{path}".rpartition("/")
    return zipimport.zipimporter(folder + "/").get_code(name)


class RestOfStdlib:
    """A finder after the others: a stdlib module the subset lacks comes from the complete zip."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name not in STOCK_MODULES:
            return None
        zip_path = complete_stdlib()
        parent, _, _ = name.rpartition(".")
        if not parent:
            return PathFinder.find_spec(name, [zip_path])
        package = sys.modules.get(parent)
        inside = f"{zip_path}/{parent.replace('.', '/')}"
        search = getattr(package, "__path__", None)
        if search is not None and inside not in search:
            search.append(inside)
        return PathFinder.find_spec(name, [inside])

    @classmethod
    def invalidate_caches(cls):
        pass


def install():
    """Put the finder at the end of ``sys.meta_path`` (once)."""
    if RestOfStdlib not in sys.meta_path:
        sys.meta_path.append(RestOfStdlib)
