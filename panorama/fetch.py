"""Fetching a feed safely: time limit, size limit, bounded redirects, conditional requests,
a clear user agent, and no request to a private, loopback or link-local address.

The time limit (``PANORAMA_FETCH_TIMEOUT``) is a deadline for the whole response, redirects
included: a watchdog shuts the connection down when it passes, so a server that trickles its
headers or its body a byte at a time cannot hold a fetch longer (a socket timeout alone would
not: each byte arrives in time).

Standard library only (``http.client`` through ``urllib``). Every failure is a :class:`FetchError`
with a French message that the source's health page shows.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings

CHUNK = 64 * 1024
DEMO_FEEDS_DIR = Path(__file__).resolve().parent / "demo_feeds"


class FetchError(Exception):
    """A feed could not be fetched; the message is shown to staff."""


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200, or 304 when the feed did not change
    content: bytes
    etag: str
    last_modified: str
    url: str
    content_type: str = ""


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def _resolve_checked(host: str | None, port: int | None = None) -> list[tuple]:
    """Resolve ``host`` and refuse it if any of its addresses is private or local.

    Returns the ``getaddrinfo`` entries, so that the connection is made to an address that was
    checked (a second, different DNS answer between check and connection cannot slip through).
    """
    if not host:
        raise FetchError("Adresse sans nom d'hôte.")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"Nom d'hôte introuvable : {host}") from exc
    if not settings.PANORAMA_ALLOW_PRIVATE_ADDRESSES:
        for info in infos:
            address = ipaddress.ip_address(info[4][0].split("%")[0])
            if _refused(address):
                raise FetchError(f"Adresse refusée (réseau privé ou local) : {host} → {address}")
    return infos


def _check_host(host: str | None) -> None:
    _resolve_checked(host)


class _Watchdog:
    """Shuts down every connection of one fetch when its deadline passes."""

    current = threading.local()

    def __init__(self, seconds: float):
        self.sockets: list[socket.socket] = []
        self.expired = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self):
        _Watchdog.current.value = self
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()
        _Watchdog.current.value = None

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                sock.close()
                raise TimeoutError
            self.sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self.sockets:
                with contextlib.suppress(OSError):  # already closed
                    sock.shutdown(socket.SHUT_RDWR)


def _connect_checked(host: str, port: int, timeout) -> socket.socket:
    """Open a TCP connection to one of the checked addresses of ``host``, watched by the fetch's deadline."""
    error: OSError | None = None
    for family, type_, proto, _name, sockaddr in _resolve_checked(host, port):
        sock = socket.socket(family, type_, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # noqa: SLF001 (http.client's own default)
                sock.settimeout(timeout)
            watchdog = getattr(_Watchdog.current, "value", None)
            if watchdog is not None:
                watchdog.watch(sock)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error or OSError(f"Connexion impossible à {host}")


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = _connect_checked(self.host, self.port, self.timeout)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self):
        sock = _connect_checked(self.host, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by :func:`fetch` itself, so that each hop is checked and counted."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# Connections go only to addresses checked at connection time; no proxy is used.
_OPENER = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _CheckedHTTPHandler(), _CheckedHTTPSHandler(), _NoRedirect()
)


def _read_limited(response, *, limit: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchError(f"Flux trop volumineux ({int(declared)} octets, limite {limit}).")
    chunks, total = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError("Délai dépassé pendant la lecture du flux.")
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise FetchError(f"Flux trop volumineux (plus de {limit} octets).")
        chunks.append(chunk)
    return b"".join(chunks)


def _fetch_local(path: str, *, limit: int) -> FetchResult:
    if not settings.PANORAMA_ALLOW_LOCAL_FILES:
        raise FetchError("Les fichiers locaux ne sont permis qu'en démonstration.")
    file = Path(path.removeprefix("file://")).resolve()
    if not file.is_relative_to(DEMO_FEEDS_DIR):
        raise FetchError("Seuls les flux de démonstration peuvent être lus sur le disque.")
    try:
        size = file.stat().st_size
        if size > limit:
            raise FetchError(f"Flux trop volumineux ({size} octets, limite {limit}).")
        return FetchResult(200, file.read_bytes(), "", "", path)
    except OSError as exc:
        raise FetchError(f"Fichier illisible : {exc.strerror}") from exc


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
    """Fetch ``url``; a 304 answer (unchanged since ``etag`` / ``last_modified``) has no content.

    The whole fetch, redirects and slow reads included, ends by ``PANORAMA_FETCH_TIMEOUT``.
    """
    limit = settings.PANORAMA_FETCH_MAX_BYTES
    timeout = settings.PANORAMA_FETCH_TIMEOUT
    if url.startswith(("file://", "/")):
        return _fetch_local(url, limit=limit)
    seconds = f"{timeout:g}".replace(".", ",")
    late = FetchError(f"Délai dépassé : pas de réponse complète en {seconds} s.")
    with _Watchdog(timeout) as watchdog:
        try:
            result = _fetch(
                url, etag=etag, last_modified=last_modified, limit=limit, deadline=time.monotonic() + timeout
            )
        except FetchError:
            if watchdog.expired:
                raise late from None
            raise
        if watchdog.expired:
            raise late  # the connection was cut: what was read is incomplete
        return result


def _fetch(url: str, *, etag: str, last_modified: str, limit: int, deadline: float) -> FetchResult:
    current = url
    for _hop in range(settings.PANORAMA_FETCH_MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        if parts.scheme not in {"http", "https"}:
            raise FetchError(f"Schéma refusé : {parts.scheme or '?'}")
        _check_host(parts.hostname)
        headers = {
            "User-Agent": settings.PANORAMA_USER_AGENT,
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = urllib.request.Request(current, headers=headers, method="GET")  # noqa: S310 (scheme checked above)
        remaining = max(deadline - time.monotonic(), 0.1)
        try:
            response = _OPENER.open(request, timeout=remaining)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return FetchResult(304, b"", etag, last_modified, current)
            if exc.code in {301, 302, 303, 307, 308}:
                location = exc.headers.get("Location")
                if not location:
                    raise FetchError(f"Redirection sans destination (HTTP {exc.code}).") from exc
                current = urljoin(current, location)
                continue
            raise FetchError(f"Le serveur a répondu HTTP {exc.code}.") from exc
        except TimeoutError as exc:
            raise FetchError("Délai dépassé : le serveur ne répond pas.") from exc
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            if time.monotonic() > deadline:
                raise FetchError("Délai dépassé : le serveur ne répond pas.") from exc
            reason = getattr(exc, "reason", exc)
            raise FetchError(f"Connexion impossible : {reason}") from exc
        with response:
            try:
                content = _read_limited(response, limit=limit, deadline=deadline)
            except TimeoutError as exc:
                raise FetchError("Délai dépassé pendant la lecture du flux.") from exc
            except (http.client.HTTPException, OSError) as exc:
                raise FetchError(f"Lecture interrompue : {exc}") from exc
            if time.monotonic() > deadline:
                raise FetchError("Délai dépassé pendant la lecture du flux.")
            return FetchResult(
                response.status,
                content,
                response.headers.get("ETag", ""),
                response.headers.get("Last-Modified", ""),
                current,
                response.headers.get("Content-Type", ""),
            )
    raise FetchError(f"Trop de redirections (plus de {settings.PANORAMA_FETCH_MAX_REDIRECTS}).")
