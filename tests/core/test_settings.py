import os
import subprocess
import sys

from tests.helpers import ROOT

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "reseau_acv.settings.production",
    "DJANGO_SECRET_KEY": "p" * 20 + "r0duct10n-s3cr3t-k3y-w1th-3n0ugh-3ntr0py-!x" + "z" * 10,
    "DJANGO_ALLOWED_HOSTS": "reseau-acv.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
}


def _manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist():
    """`manage.py check --deploy` prints no warning under the production settings."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    """Without a secret key, the production settings refuse to start."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts_or_database():
    """Without allowed hosts or a database, the production settings refuse to start."""
    for missing in ("DJANGO_ALLOWED_HOSTS", "DATABASE_URL"):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
        result = _manage("check", env=env)
        assert result.returncode != 0, missing
        assert missing in result.stderr


def test_demo_data_is_refused_in_production():
    """The demo command refuses to run with the production settings."""
    result = _manage("demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "refusées" in result.stderr
