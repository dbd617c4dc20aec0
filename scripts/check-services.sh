#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer; starts them if not.
set -uo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
  echo "PostgreSQL ne répond pas : démarrage…"
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if ! pg_up; then
  echo "ERREUR : PostgreSQL est injoignable sur 127.0.0.1:5432 et n'a pas pu être démarré." >&2
  exit 1
fi

if ! redis_up; then
  echo "Redis ne répond pas : démarrage…"
  if command -v redis-server >/dev/null; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  fi
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi
if ! redis_up; then
  echo "ERREUR : Redis est injoignable sur 127.0.0.1:6379 et n'a pas pu être démarré." >&2
  exit 1
fi

# The test database role must be able to create databases.
psql -h 127.0.0.1 -U postgres -tAc "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user" 2>/dev/null | grep -q t || {
  echo "ERREUR : le rôle PostgreSQL 'postgres' ne peut pas créer de base de test." >&2
  exit 1
}
echo "PostgreSQL et Redis répondent."
