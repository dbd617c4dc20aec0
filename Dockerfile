# The production image: one image for web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=reseau_acv.settings.production

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      libmagic1 fonts-dejavu-core gettext postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 reseau

WORKDIR /app
COPY pyproject.toml requirements.lock ./
# The [s3] extra: media on S3-compatible storage when AWS_STORAGE_BUCKET_NAME is set.
RUN pip install -c requirements.lock ".[s3]"
COPY --chown=reseau:reseau . .
RUN DJANGO_SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
 # The media and backup folders belong to the app's user: a named volume mounted on them
 # starts with this ownership, so uploads and photos can be written.
 && mkdir -p /app/var/media /app/var/backups \
 && chown -R reseau:reseau /app/var

USER reseau
EXPOSE 8000
# Logs are JSON lines on stdout (one per request, with its request id): gunicorn's own access
# log would repeat them in another format.
CMD ["gunicorn", "reseau_acv.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--forwarded-allow-ips", "*"]
