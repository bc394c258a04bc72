"""A test server that behaves like GitHub Pages where it matters for caching.

GitHub Pages sends ``Cache-Control: max-age=600`` on every file (it cannot be
changed), compresses with gzip and answers revalidations (``If-None-Match``)
with 304. So for ten minutes after a deploy a browser may reuse the old HTML,
wheel or build info from its HTTP cache unless something revalidates. The
browser tests run against this server, not against ``build.py serve``
(which marks the versioned files immutable and everything else no-cache).

``PagesHandler`` is a ``build.py`` ``SiteHandler`` (base path, MIME types,
the site's 404 page) with those three changes. ETags are the content's hash,
so a file replaced by the next build is never mistaken for the old one.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import socket
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

#: Not worth compressing (already compressed).
BINARY = (".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".woff", ".woff2", ".gz")
MAX_AGE = "max-age=600"


def pages_handler(site_handler):
    """A handler class like GitHub Pages, built on build.py's ``SiteHandler``."""

    class PagesHandler(site_handler):
        cache_control = MAX_AGE
        _entities: dict = {}
        _lock = threading.Lock()

        def end_headers(self):
            # Not SiteHandler's immutable/no-cache: one header for every file, as on Pages.
            self.send_header("Cache-Control", self.cache_control)
            SimpleHTTPRequestHandler.end_headers(self)

        def _entity(self, fs_path: str, want_gzip: bool):
            stat = os.stat(fs_path)
            key = (fs_path, stat.st_mtime_ns, stat.st_size, want_gzip)
            with self._lock:
                found = self._entities.get(key)
            if found:
                return found
            with open(fs_path, "rb") as handle:
                body = handle.read()
            etag = hashlib.sha1(body).hexdigest()[:20]
            if want_gzip:
                body = gzip.compress(body, compresslevel=6, mtime=0)
                etag += "-gz"
            found = (body, f'"{etag}"')
            with self._lock:
                self._entities[key] = found
            return found

        def send_head(self):
            request_path = self.path.split("?", 1)[0].split("#", 1)[0]
            if self.base_path != "/" and request_path in ("/", ""):
                return super().send_head()  # the redirect to the base path
            fs_path = self.translate_path(self.path)
            if os.path.isdir(fs_path):
                if not request_path.endswith("/"):
                    return super().send_head()  # the redirect to the directory
                fs_path = os.path.join(fs_path, "index.html")
            if not os.path.isfile(fs_path):
                return super().send_head()  # 404 with the site's page
            accepts = "gzip" in self.headers.get("Accept-Encoding", "")
            want_gzip = accepts and not fs_path.endswith(BINARY)
            body, etag = self._entity(fs_path, want_gzip)
            match = [tag.strip() for tag in self.headers.get("If-None-Match", "").split(",")]
            if etag in match or "*" in match:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return None
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(fs_path))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Vary", "Accept-Encoding")
            if want_gzip:
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            return io.BytesIO(body)

    return PagesHandler


class PagesHTTPServer(ThreadingHTTPServer):
    """Keeps its open connections, so that ``stop()`` ends them too: a browser's
    keep-alive connection would otherwise go on talking to the old handler (the
    old directory, after a "deploy"; a server that is "down")."""

    daemon_threads = True

    def __init__(self, *args, **kwargs):
        self.connections = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        with self._connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def stop(self):
        self.shutdown()
        with self._connections_lock:
            open_connections = list(self.connections)
        for connection in open_connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.server_close()


def make_pages_server(site_build, site_dir, host: str = "127.0.0.1", port: int = 0,
                      base_path: str = "/", handler=None) -> ThreadingHTTPServer:
    """Like build.py's make_server, with ``PagesHandler`` (or a subclass of it: ``handler``)."""
    if not base_path.endswith("/"):
        base_path += "/"
    base = handler or pages_handler(site_build.SiteHandler)
    bound = type("BoundPagesHandler", (base,), {"base_path": base_path, "quiet": True})
    server = PagesHTTPServer((host, port), partial(bound, directory=str(site_dir)))
    server.base_path = base_path
    return server


def start_pages_server(site_build, site_dir, **kwargs) -> PagesHTTPServer:
    """make_pages_server, serving in a thread; ``.stop()`` ends it and its connections."""
    server = make_pages_server(site_build, site_dir, **kwargs)
    threading.Thread(target=server.serve_forever, name="pages-server", daemon=True).start()
    return server
