# kmo-portefeuille's stand-in for Pyodide 314.0.7's pyodide/_package_loader.py,
# for the rekenhulp's stdlib subset only (tools/stdlib-overrides/README.md).
#
# Pyodide imports its package loader at start and reads SITE_PACKAGES,
# DSO_DIR, get_install_dir and init_loaded_packages of it; the rekenhulp then
# calls unpack_buffer once, through pyodide.unpackArchive, for its own wheel.
# Pyodide's loader imports zipfile, shutil, tempfile and pathlib for that (with
# bz2, lzma and compression.zstd behind them). This one reads a plain zip
# with struct and zlib, which the start imports anyway. Everything else, and
# any archive this reader does not take (tar, zip64, encrypted, another
# compression), goes to Pyodide's own loader, loaded from the complete stdlib
# the first time (_kmo_stdlib).
import os
import struct
import sys
import zlib
from site import getsitepackages

from .ffi import IN_PYODIDE


class _Folder(os.PathLike):
    """A folder as Pyodide's JavaScript reads it (``.__str__()``: a str would arrive as a JS string)."""

    def __init__(self, path):
        self.path = path

    def __str__(self):
        return self.path

    def __fspath__(self):
        return self.path

    def __repr__(self):
        return f"_Folder({self.path!r})"


if IN_PYODIDE:
    # As Pyodide's loader, at the same moment of the start (a memory snapshot
    # expects the JavaScript objects Python holds in this order).
    from pyodide_js import loadedPackages  # noqa: F401

SITE_PACKAGES = _Folder(getsitepackages()[0])
if sys.base_prefix == sys.prefix:
    DSO_DIR = _Folder("/usr/lib")
else:
    DSO_DIR = _Folder(os.path.dirname(os.path.dirname(str(SITE_PACKAGES))))
TARGETS = {"site": SITE_PACKAGES, "dynlib": DSO_DIR}

_END = b"PK\x05\x06"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_stock = None


def _stock_loader():
    """Pyodide's own package loader, from the complete stdlib (downloaded once)."""
    global _stock
    if _stock is None:
        import types

        import _kmo_stdlib

        module = types.ModuleType(__name__ + "_stock")
        module.__package__ = "pyodide"
        exec(_kmo_stdlib.stock_code("pyodide/_package_loader"), module.__dict__)
        _stock = module
    return _stock


def __getattr__(name):
    return getattr(_stock_loader(), name)


def get_install_dir(target=None):
    """Where a target installs (as Pyodide's)."""
    return str(TARGETS.get(target, SITE_PACKAGES) if target else SITE_PACKAGES)


def init_loaded_packages():
    """At start site-packages is empty, so no package is known yet; otherwise Pyodide's own."""
    if os.path.isdir(SITE_PACKAGES) and any(n.endswith(".dist-info") for n in os.listdir(SITE_PACKAGES)):
        _stock_loader().init_loaded_packages()


def _zip_members(data):
    """[(name, bytes)] of a plain zip (stored or deflated), or None when this reader does not take it."""
    end = data.rfind(_END, max(0, len(data) - 65557))
    if end < 0:
        return None
    count, size, offset = struct.unpack_from("<HII", data, end + 10)
    if offset + size > end or count == 0xFFFF or offset == 0xFFFFFFFF:
        return None
    members, at = [], offset
    for _ in range(count):
        if data[at:at + 4] != _CENTRAL:
            return None
        flags, method, _, _, crc, csize, usize, nlen, elen, clen = struct.unpack_from("<HHHHIIIHHH", data, at + 8)
        local = struct.unpack_from("<I", data, at + 42)[0]
        raw_name = data[at + 46:at + 46 + nlen]
        # ASCII and UTF-8 decode without an encodings module; cp437 (zip's old default) needs one.
        name = raw_name.decode("utf-8" if flags & 0x800 or raw_name.isascii() else "cp437")
        at += 46 + nlen + elen + clen
        if flags & 1 or method not in (0, 8) or data[local:local + 4] != _LOCAL:
            return None
        start = local + 30 + sum(struct.unpack_from("<HH", data, local + 26))
        raw = data[start:start + csize]
        body = zlib.decompress(raw, -15) if method == 8 else raw
        if len(body) != usize or zlib.crc32(body) != crc:
            raise ValueError(f"{name}: damaged in the archive")
        members.append((name, body))
    return members


def _safe_path(root, name):
    path = os.path.normpath(os.path.join(root, name))
    if not path.startswith(os.path.normpath(root) + os.sep):
        raise ValueError(f"{name}: outside the folder it is unpacked into")
    return path


def unpack_buffer(buffer, *, filename="", format=None, extract_dir=None, calculate_dynlibs=False,
                  metadata=None):
    """pyodide.unpackArchive of a plain zip without dynamic libraries; anything else as Pyodide's own."""
    name = filename.rpartition("/")[-1]
    plain = (format in ("zip", "whl") or (not format and name.endswith((".zip", ".whl")))) \
        and not calculate_dynlibs and not (metadata and name.endswith(".whl"))
    members = _zip_members(buffer.to_bytes()) if plain else None
    if members is None:
        return _stock_loader().unpack_buffer(buffer, filename=filename, format=format, extract_dir=extract_dir,
                                             calculate_dynlibs=calculate_dynlibs, metadata=metadata)
    root = extract_dir or "."
    for member, body in members:
        path = _safe_path(root, member)
        if member.endswith("/"):
            os.makedirs(path, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(body)
    return None
