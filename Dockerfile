# The production image: one image for web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=reseau_acv.settings.production

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      libmagic1 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 reseau

WORKDIR /app
COPY pyproject.toml requirements.lock ./
RUN pip install -c requirements.lock .
COPY --chown=reseau:reseau . .
RUN DJANGO_SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput

USER reseau
EXPOSE 8000
CMD ["gunicorn", "reseau_acv.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
