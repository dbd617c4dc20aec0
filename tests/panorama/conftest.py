"""Fixtures of the panorama tests: a local feed server, real towns, default rules."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories.villes import ProgrammeFactory, VilleFactory

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Journal du Loir-et-Cher</title><link>https://presse.example/</link>
<item><title>Blois : la rue du Commerce rouvre après six mois de travaux</title>
<link>https://presse.example/blois-rue-du-commerce?utm_source=rss&amp;utm_medium=flux#haut</link>
<guid>rss-1</guid><pubDate>Mon, 05 Oct 2026 06:30:00 +0200</pubDate>
<description>TEXTE-DU-FLUX-SECRET : le texte de l'article, réservé à l'éditeur.</description></item>
<item><title>Romorantin : le marché couvert fait peau neuve</title>
<link>https://presse.example/romorantin-marche</link><guid>rss-2</guid>
<pubDate>Tue, 06 Oct 2026 06:30:00 +0200</pubDate><description>Halle rénovée.</description></item>
<item><title>Football : le derby régional s'achève sur un nul</title>
<link>https://presse.example/football</link><guid>rss-3</guid>
<pubDate>Tue, 06 Oct 2026 08:30:00 +0200</pubDate><description>Score vierge.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Journal de l'Eure-et-Loir</title><id>urn:test:atom</id>
<updated>2026-10-08T06:00:00Z</updated>
<entry><title>Dreux : 120 logements vacants rénovés grâce à Action Cœur de Ville</title><id>urn:test:atom:1</id>
<link href="https://presse.example/dreux-logements"/><updated>2026-10-08T06:00:00Z</updated><summary>Bilan.</summary></entry>
<entry><title>Blois. La rue du Commerce rouvre enfin après six mois de travaux</title><id>urn:test:atom:2</id>
<link href="https://autre-titre.example/blois-rue-du-commerce"/><updated>2026-10-05T10:00:00Z</updated><summary>Reprise.</summary></entry>
</feed>"""

MALFORMED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Cassé
<item><title>Gien : la halle <b>du marché</title><link>https://presse.example/gien"""

ETAG = '"version-1"'

# Latin-1 as servers really send it: Windows-1252 bytes (’ is 0x92, œ 0x9C) under an ISO-8859-1 label.
LATIN1 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>L'Écho du Berry</title><link>https://presse.example/</link>
<item><title>Châteauroux : l’été des commerçants, une œuvre collective</title>
<link>https://presse.example/chateauroux-ete</link><guid>latin-1</guid>
<pubDate>Mon, 05 Oct 2026 06:30:00 +0200</pubDate><description>Fête.</description></item>
</channel></rss>"""

HTML_PAGE = b"<!DOCTYPE html><html lang=fr><head><title>Accueil</title></head><body><h1>Bienvenue</h1></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class FeedHandler(BaseHTTPRequestHandler):
    requests: list = []  # noqa: RUF012 (shared log of what the server received)

    def log_message(self, *args):
        return

    def _send(self, body: bytes, *, status=200, ctype="application/rss+xml", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        FeedHandler.requests.append((self.path, dict(self.headers)))
        path = self.path
        if path == "/rss":
            if self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.end_headers()
                return
            self._send(RSS.encode(), headers={"ETag": ETAG, "Last-Modified": "Mon, 05 Oct 2026 06:30:00 GMT"})
        elif path == "/atom":
            self._send(ATOM.encode(), ctype="application/atom+xml")
        elif path == "/malformed":
            self._send(MALFORMED.encode())
        elif path == "/huge":
            # No Content-Length: the client must count while reading and give up past the limit.
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"<!-- " + b"x" * 16384 + b" -->")
            except (BrokenPipeError, ConnectionResetError):
                return
        elif path == "/slow":
            time.sleep(1.5)  # longer than the time limit the tests set (0.5 s)
            try:
                self._send(RSS.encode())
            except (BrokenPipeError, ConnectionResetError):
                return
        elif path == "/trickle":
            # Headers at once, then one byte every 50 ms for 30 s: each byte arrives in time.
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            try:
                for byte in (RSS.encode() * 2)[:600]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                return
        elif path == "/trickle-headers":
            try:
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Lent: " + b"a" * 500:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                return
        elif path == "/html":
            self._send(HTML_PAGE, ctype="text/html; charset=utf-8")
        elif path == "/html-as-rss":
            self._send(HTML_PAGE, ctype="application/rss+xml")
        elif path == "/json":
            self._send(b'{"articles": []}', ctype="application/json")
        elif path == "/image":
            self._send(PNG, ctype="image/png")
        elif path == "/latin1-header":
            body = LATIN1.replace('encoding="ISO-8859-1"', 'encoding="utf-8"')  # the HTTP header wins
            self._send(body.encode("cp1252"), ctype="application/rss+xml; charset=ISO-8859-1")
        elif path == "/latin1-declaration":
            self._send(LATIN1.encode("cp1252"), ctype="application/rss+xml")
        elif path == "/windows-1252":
            body = LATIN1.replace("ISO-8859-1", "windows-1252")
            self._send(body.encode("cp1252"), ctype="text/xml")
        elif path.startswith("/redirect/"):
            n = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", f"/redirect/{n + 1}" if n < 10 else "/rss")
            self.end_headers()
        else:
            self._send(b"introuvable", status=404, ctype="text/plain")


@pytest.fixture
def feed_server(settings):
    """A local HTTP server that serves feeds; private addresses are allowed for it."""
    settings.PANORAMA_ALLOW_PRIVATE_ADDRESSES = True
    settings.PANORAMA_FETCH_TIMEOUT = 0.5
    settings.PANORAMA_FETCH_MAX_BYTES = 200 * 1024
    FeedHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def villes(db):
    """Real towns of the region (names, INSEE codes, départements) for tagging."""
    acv = ProgrammeFactory(code="acv", nom="Action Cœur de Ville", sigle="ACV")
    pvd = ProgrammeFactory(code="pvd", nom="Petites villes de demain", sigle="PVD")
    rows = [
        ("41018", "Blois", "blois", "41", "Loir-et-Cher", acv),
        ("41194", "Romorantin-Lanthenay", "romorantin-lanthenay", "41", "Loir-et-Cher", acv),
        ("28134", "Dreux", "dreux", "28", "Eure-et-Loir", acv),
        ("41269", "Vendôme", "vendome", "41", "Loir-et-Cher", pvd),
    ]
    return {
        slug: VilleFactory(
            code_insee=code, nom=nom, slug=slug, departement_code=dep, departement_nom=dep_nom, programmes=[prog]
        )
        for code, nom, slug, dep, dep_nom, prog in rows
    }


@pytest.fixture
def regles(db, villes):
    from panorama.services import regles_seed_defaults

    regles_seed_defaults()
