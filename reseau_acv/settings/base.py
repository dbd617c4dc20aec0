"""Settings shared by every environment, read from the environment with django-environ.

Every variable the platform reads is listed in README.md (« Configuration »).
With nothing set, the site runs on SQLite, runs tasks without a broker and writes
e-mails to ``var/courriels/``.
"""

from email.utils import parseaddr
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

# --- Applications ----------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "django_filters",
    "django_celery_beat",
]
LOCAL_APPS = [
    "reseau_acv.core",
    "reseau_acv.comptes",
    "villes",
    "ressources",
    "rencontres",
    "panorama",
    "reseau_acv.accueil",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "reseau_acv.core.logging.RequestIdMiddleware",
    "reseau_acv.core.middleware.HealthCheckMiddleware",  # before the HTTPS redirect and host check
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "reseau_acv.core.middleware.RefuseNulBytesMiddleware",
    "reseau_acv.core.middleware.MethodNotAllowedPageMiddleware",  # a page, not a blank 405
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "reseau_acv.urls"
# Widgets render with the project's templates too (the town picker: templates/villes/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "reseau_acv.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reseau_acv.core.context_processors.platform",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The panorama's covering index (INCLUDE columns) is for PostgreSQL; SQLite, the embedded
# default, simply builds it without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Accounts --------------------------------------------------------------------------------
AUTH_USER_MODEL = "comptes.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accueil:dashboard"
# Where an invited member lands once their account is created: the two questions of their first steps.
INVITATION_ACCEPT_REDIRECT_URL = "/bienvenue/"
ACCOUNT_LOGOUT_REDIRECT_URL = "accueil:home"
ACCOUNT_ADAPTER = "reseau_acv.comptes.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Réseau ACV] "
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
# Login attempts: allauth counts failures per IP and per account, in the cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
INVITATION_VALIDITY_DAYS = env.int("INVITATION_VALIDITY_DAYS", default=14)
# The region the network animates: its intercommunalités are offered when staff invite a member.
RESEAU_REGION = env.str("RESEAU_REGION", default="Centre-Val de Loire")

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files live outside any public URL: views serve them after a visibility check.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Shared media on S3-compatible storage (the [s3] extra: django-storages): private objects,
# served only by the platform's views after their visibility check (signed URLs are not used).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
S3_STORAGE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    },
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = S3_STORAGE
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Every image accepted anywhere (resource files, versions, meeting materials, photos).
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Backups (make backup / manage.py backup): where, and how many archives are kept.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "courriels"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Réseau ACV Centre-Val de Loire <reseau@villesaucarre.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EQUIPE_EMAIL = env.str("EQUIPE_EMAIL", default="equipe@villesaucarre.example")

# Health: a heartbeat of beat or of the workers older than this is a failure of /healthz/.
HEALTH_HEARTBEAT_MAX_AGE = env.int("HEALTH_HEARTBEAT_MAX_AGE", default=180)

# --- Outbox ---------------------------------------------------------------------------------
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# Retention (page « Données personnelles »): sent e-mails, and read notifications.
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=90)
NOTIFICATION_RETENTION_DAYS = env.int("NOTIFICATION_RETENTION_DAYS", default=365)
# What a member may follow from its page (« app.modèle »): core reads the model's ``visible_to``.
NOTIFICATIONS_SUIVABLES = [
    "ressources.question",
    "ressources.ressource",
    "ressources.retourexperience",
    "rencontres.rencontre",
    "core.theme",
    "villes.ville",
]
# Beat flushes the outbox this often; a flush drains the backlog within its budget; a mail
# server that is down is tried again after OUTBOX_SERVER_RETRY_SECONDS.
OUTBOX_FLUSH_SECONDS = env.int("OUTBOX_FLUSH_SECONDS", default=15)
OUTBOX_FLUSH_BUDGET_SECONDS = env.int("OUTBOX_FLUSH_BUDGET_SECONDS", default=50)
OUTBOX_SERVER_RETRY_SECONDS = env.int("OUTBOX_SERVER_RETRY_SECONDS", default=10)
# Rows locked and committed together while sending (at most this many copies go out twice,
# with the same Message-ID, if a worker is killed mid-way).
OUTBOX_LOCK_GROUP = env.int("OUTBOX_LOCK_GROUP", default=25)
# SMTP connections a flush or a fan-out uses at once (each with its own rows).
OUTBOX_SEND_THREADS = env.int("OUTBOX_SEND_THREADS", default=4)

# --- Redis, cache, Celery -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    # No broker: tasks run in the web process, right after the transaction that queued them.
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
# The queue tasks go to and workers read (``bench_digest`` gives its own worker a queue of its own).
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 3}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic work. Each app's entries are named after the task; every task is idempotent.
CELERY_BEAT_SCHEDULE = {
    # Digests: every hour of the morning; the runs after the first only finish a failed one.
    "accueil.digest_send.quotidienne": {
        "task": "accueil.digest_send",
        "schedule": crontab(minute=5, hour="6-11"),
        "kwargs": {"frequence": "quotidienne"},
    },
    "accueil.digest_send.hebdomadaire": {
        "task": "accueil.digest_send",
        "schedule": crontab(minute=20, hour="6-11"),
        "kwargs": {"frequence": "hebdomadaire"},
    },
    "accueil.staff_notify": {"task": "accueil.staff_notify", "schedule": crontab(minute=0, hour=8)},
    "accueil.animation_refresh": {"task": "accueil.animation_refresh", "schedule": crontab(minute="*/15")},
    "core.outbox_flush": {"task": "core.outbox_flush", "schedule": float(OUTBOX_FLUSH_SECONDS)},
    "core.retention_purge": {"task": "core.retention_purge", "schedule": crontab(minute=40, hour=3)},
    # Beat's and the workers' heartbeat, read by /healthz/.
    "core.heartbeat": {"task": "core.heartbeat", "schedule": 60.0},
    "panorama.ingest": {"task": "panorama.ingest", "schedule": crontab(minute="*/30")},
    # Meetings: reminders 7 days and 1 day before (each once per person), then held meetings.
    "rencontres.send_reminders": {"task": "rencontres.send_reminders", "schedule": crontab(minute="*/15")},
    "rencontres.mark_held": {"task": "rencontres.mark_held", "schedule": crontab(minute=10)},
}

# --- Security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

# --- Platform --------------------------------------------------------------------------------
DEMO_ALLOWED = env.bool("DEMO_ALLOWED", default=True)
# Press panorama: feeds are fetched with these limits, never from a private address unless allowed.
PANORAMA_ALLOW_PRIVATE_ADDRESSES = env.bool("PANORAMA_ALLOW_PRIVATE_ADDRESSES", default=False)
PANORAMA_ALLOW_LOCAL_FILES = env.bool("PANORAMA_ALLOW_LOCAL_FILES", default=DEMO_ALLOWED)  # demo feeds only
PANORAMA_FETCH_TIMEOUT = env.float("PANORAMA_FETCH_TIMEOUT", default=15.0)
PANORAMA_FETCH_MAX_BYTES = env.int("PANORAMA_FETCH_MAX_BYTES", default=5 * 1024 * 1024)
PANORAMA_FETCH_MAX_REDIRECTS = env.int("PANORAMA_FETCH_MAX_REDIRECTS", default=3)
PANORAMA_USER_AGENT = env.str(
    "PANORAMA_USER_AGENT",
    default="ReseauACV-Panorama/1.0 (+https://reseau-acv.example/panorama; reseau@villesaucarre.example)",
)

# --- Logs, error reports ------------------------------------------------------------------------
# JSON lines (LOG_FORMAT=json, the production default) or plain text; each line carries the
# request id. Errors are e-mailed to ADMINS and, with SENTRY_DSN, reported to Sentry.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
ADMINS = [parseaddr(admin) for admin in env.list("DJANGO_ADMINS", default=[])]
MANAGERS = ADMINS
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "reseau_acv.core.logging.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console", "mail_admins"], "level": "WARNING", "propagate": False},
        "reseau_acv.requests": {"level": env.str("ACCESS_LOG_LEVEL", default="INFO")},
        "celery.app.trace": {"level": "WARNING"},
    },
}

SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
