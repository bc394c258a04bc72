# kmo-portefeuille's copy of Pyodide 314.0.7's pyodide/__init__.py, for the
# rekenhulp's stdlib subset only (tools/stdlib-overrides/README.md).
#
# Pyodide's own file imports pyodide.webloop and sets up the event loop at
# start, which needs the real asyncio (see asyncio/__init__.py here). Here the
# same set-up runs when pyodide.webloop is first imported (which the real
# asyncio does in this subset when it loads), before that import returns, so
# code that uses the loop sees what it would have seen. time.sleep, which
# Pyodide's loop replaces too, sets the loop up first only where Pyodide's
# replacement would differ (can_run_sync(): JSPI); elsewhere it stays as is.
#
# Beyond that this file does as Pyodide's does, and puts the finder of the rest
# of the stdlib (_kmo_stdlib) in place.
__version__ = "314.0.7"

__all__ = ["__version__", "console", "code", "ffi", "http", "webloop"]

import sys as _sys
import time as _time

from . import _state  # noqa: F401
from .ffi import IN_PYODIDE as _IN_PYODIDE
from .ffi import can_run_sync as _can_run_sync

if _IN_PYODIDE:
    # What Pyodide's pyodide.webloop takes from JavaScript when it is imported,
    # taken here at the same moment of the start: a memory snapshot checks that
    # the first JavaScript objects Python holds are the ones it expects, in
    # this order (serializeHiwireState, getExpectedKeys).
    from pyodide_js._api import scheduleCallback as _scheduleCallback  # noqa: F401

import _kmo_stdlib

_kmo_stdlib.install()

_loop_ready = False
_original_sleep = _time.sleep


def _set_up_event_loop():
    """Pyodide's own event loop set-up (once), as its __init__ does it at start."""
    global _loop_ready
    if _loop_ready:
        return
    _loop_ready = True
    if _EventLoopOnImport in _sys.meta_path:
        _sys.meta_path.remove(_EventLoopOnImport)
    _time.sleep = _original_sleep
    from .webloop import _initialize_event_loop

    _initialize_event_loop()


class _ThenSetUpLoop:
    """A loader that runs the wrapped one, then the event loop set-up."""

    def __init__(self, loader):
        self.loader = loader

    def exec_module(self, module):
        self.loader.exec_module(module)
        _set_up_event_loop()

    def __getattr__(self, name):
        return getattr(self.loader, name)


class _EventLoopOnImport:
    """Finds nothing itself: it wraps the loader of pyodide.webloop."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != "pyodide.webloop" or _loop_ready:
            return None
        from importlib.machinery import PathFinder

        # Before pyodide.webloop runs: it keeps the time.sleep it finds as the original.
        _time.sleep = _original_sleep
        spec = PathFinder.find_spec(name, path, target) or _kmo_stdlib.RestOfStdlib.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenSetUpLoop(spec.loader)
        return spec

    @classmethod
    def invalidate_caches(cls):
        pass


def _sleep(seconds):
    if _can_run_sync():
        _set_up_event_loop()  # time.sleep is Pyodide's from here on
        return _time.sleep(seconds)
    return _original_sleep(seconds)


_time.sleep = _sleep
_sys.meta_path.insert(0, _EventLoopOnImport)


def __getattr__(name):
    # pyodide.webloop is an attribute after Pyodide's own start (it imports it).
    if name == "webloop":
        import importlib

        return importlib.import_module(f"{__name__}.webloop")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
