# kmo-portefeuille's stand-in for asyncio/__init__.py, for the rekenhulp's
# stdlib subset only (tools/stdlib-overrides/README.md).
#
# Pyodide's C core imports asyncio while Python starts and keeps
# asyncio.get_event_loop (to await JavaScript promises) and
# asyncio.ensure_future (to hand coroutines to JavaScript). The real package
# brings some forty modules with it (subprocess, ssl, socket, selectors,
# logging, concurrent.futures, ...), about a third of the start's download,
# for an event loop the rekenhulp never runs. This module is asyncio until
# anything of it is used: then the real asyncio/__init__.py of the complete
# stdlib (_kmo_stdlib, downloaded once) runs in this very module, so every
# reference to it, the C core's included, sees the real package, and
# Pyodide's event loop is set up as its start would have done.
import sys

_real = False


def _load():
    """Run the real asyncio in this module (once) and set up Pyodide's loop; this module's namespace."""
    global _real
    namespace = globals()
    if not _real:
        _real = True
        import _kmo_stdlib

        code = _kmo_stdlib.stock_code("asyncio/__init__")
        __path__.insert(0, _kmo_stdlib.complete_stdlib() + "/asyncio")
        for name in ("get_event_loop", "ensure_future", "__getattr__"):
            namespace.pop(name, None)
        exec(code, namespace)
        webloop = sys.modules.get("pyodide.webloop")
        if webloop is None or hasattr(webloop, "_initialize_event_loop"):
            import pyodide.webloop  # noqa: F401  (pyodide/__init__.py sets the loop up after it)
    return namespace


def get_event_loop(*args, **kwargs):
    return _load()["get_event_loop"](*args, **kwargs)


def ensure_future(*args, **kwargs):
    return _load()["ensure_future"](*args, **kwargs)


def __getattr__(name):
    namespace = _load()
    if name in namespace:
        return namespace[name]
    raise AttributeError(f"module 'asyncio' has no attribute {name!r}")
