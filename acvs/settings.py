"""ACVS settings: one file, configured through environment variables.

SQLite is the zero set-up default; set DATABASE_URL (postgres://...) for PostgreSQL.
Production is the default environment: HTTPS only, secure cookies, a secret key and host names required.
A development machine says so (ACVS_ENV=development: `make run`, the tests) and is served over plain http.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


def meta_key(header: str) -> str:
    """An HTTP header name as Django's request.META spells it: X-Forwarded-Proto -> HTTP_X_FORWARDED_PROTO."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


ACVS_ENV = envstr("ACVS_ENV", "production")
if ACVS_ENV not in {"production", "development"}:
    raise ImproperlyConfigured(f"ACVS_ENV must be production or development, not {ACVS_ENV!r}.")
PRODUCTION = ACVS_ENV == "production"

DEBUG = envbool("DEBUG", False)
DEVELOPMENT_SECRET_KEY = "acvs-development-only-key-change-me-in-production-0123456789"
SECRET_KEY = envstr("SECRET_KEY", "" if PRODUCTION else DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# The refused form in the application's frame (acvs/templates/403_csrf.html).
CSRF_FAILURE_VIEW = "acvs.core.errors.csrf_failure"
if PRODUCTION:
    # Refuse to start rather than run with a known key, debug pages or a host check that answers 400 to all.
    hint = " (on a development machine, set ACVS_ENV=development)"
    if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production" + hint)
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS to the site's host names in production" + hint)
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must stay off in production" + hint)

# HTTPS: every default is the production one; development serves plain http on 127.0.0.1.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", PRODUCTION)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a reverse proxy that terminates TLS, the header it sets to "https" (e.g. X-Forwarded-Proto). Set it only
# when the proxy overwrites that header: otherwise a client could claim https itself.
if proxy_ssl_header := envstr("SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = (meta_key(proxy_ssl_header), "https")

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_filters",
    "phonenumber_field",
    "django_tasks_db",
    "crontask",  # the clock process (`manage.py crontask`): periodic tasks declared with @cron in tasks.py
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files served by us, no CDN (CSP)
    "acvs.core",
    "acvs.network",
    "acvs.offer",
    "acvs.desk",
    "acvs.agenda",
    "acvs.availability",
    "acvs.booklet",
    "acvs.documentation",
    "acvs.contacts",
    "acvs.mailing",
    "acvs.campaigns",
    "acvs.observatory",
    "acvs.interop",
    "acvs.api",
    "acvs.demo",  # no models: its command load_demo, on top of every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "acvs.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "acvs.network.middleware.OfficeMiddleware",
    # Turns a locked-out log-in into a 429 answer (acvs.network.logins.lockout_response).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "acvs.urls"

# The public API (acvs/api, docs/api.md): office tokens or the session, JSON, a rate per token (or user).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "acvs.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["acvs.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": envstr("ACVS_API_RATE", "1200/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "acvs.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ACVS API",
    "DESCRIPTION": "Offers, events and availability of the network's tourist offices (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
WSGI_APPLICATION = "acvs.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "acvs" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "acvs.network.context_processors.office",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'acvs.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the counter's concurrent writes queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too (not shared-cache memory) so that concurrent writers wait like in production.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
else:
    # An availability search adds one EXISTS per night; with the default limits (8) the planner weighs every join
    # order of them all: 60 ms of planning for 21 ms of execution on a 7-night stay. Smaller sub-problems plan in
    # 6 ms and give the same plans (docs/performance.md). JIT only costs time on these short OLTP queries.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c join_collapse_limit=4 -c from_collapse_limit=4 -c jit=off"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = ["acvs.network.logins.LoginThrottleBackend", "acvs.network.backends.MembershipBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes, acvs/network/logins.py): an account is locked out after ACVS_LOGIN_FAILURE_LIMIT
# failures, an address after ACVS_LOGIN_ADDRESS_FAILURE_LIMIT, for ACVS_LOGIN_COOLOFF_MINUTES after the last attempt.
AXES_HANDLER = "acvs.network.logins.LoginThrottleHandler"
AXES_FAILURE_LIMIT = envint("ACVS_LOGIN_FAILURE_LIMIT", 5)
ACVS_LOGIN_ADDRESS_FAILURE_LIMIT = envint("ACVS_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=envint("ACVS_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "acvs.network.logins.lockout_response"
AXES_CLIENT_IP_CALLABLE = "acvs.network.logins.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the audit of failed log-ins
AXES_DISABLE_ACCESS_LOG = True  # successful log-ins are not recorded (one write less per log-in)
# Behind a reverse proxy, the header carrying the client's address (e.g. X-Real-IP); see logins.client_ip.
CLIENT_IP_HEADER = meta_key(header) if (header := envstr("CLIENT_IP_HEADER", "")) else ""

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "acvs" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Offer texts exist in more languages than the interface (visitors' languages).
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en", "de", "it", "es", "nl")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
MODELTRANSLATION_AUTO_POPULATE = False

PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# var/ holds the SQLite database, uploads and collected static files; WhiteNoise warns when STATIC_ROOT is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "acvs" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Uploaded photos and logos are served by Django to logged-in users unless a web server in front does it.
SERVE_MEDIA = envbool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Production shares a Redis cache between its worker processes: sessions are read from it (and written through
# to the database, so a restart logs nobody out) and cached facets are shared. Without REDIS_URL each process keeps
# its own small in-memory cache and sessions are read from the database.
REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background work (booklet sending, thumbnails, long jobs) is queued in the database and run by `manage.py db_worker`,
# which `make run` starts beside the web server. Both databases work: PostgreSQL hands tasks out with
# SELECT ... FOR UPDATE SKIP LOCKED, SQLite with an exclusive transaction. Campaigns have their own queue and worker
# (Procfile): the sending lowers its thread's CPU priority, which a worker not run as root cannot raise again, and
# the other tasks (the figures' drains, imports) must not inherit it.
TASK_QUEUES = ["default", "campaigns"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
# Work queued or running with no sign of life for this long is shown as stalled and can be retried (a worker that
# died mid-task leaves its task "running" for ever). Progress updates count as signs of life.
ACVS_JOB_STALE_SECONDS = envint("ACVS_JOB_STALE_SECONDS", 120)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 12 * 3600)

# Business settings of the network.
ACVS_FRESHNESS_MONTHS = envint("ACVS_FRESHNESS_MONTHS", 12)
ACVS_SEARCH_PAGE_SIZE = envint("ACVS_SEARCH_PAGE_SIZE", 20)
# Search totals are counted up to this many matches ("more than 10,000" above); facets above it may be estimated
# from a sample of the table sized to hold about ACVS_SEARCH_FACET_SAMPLE matches (PostgreSQL). docs/performance.md
ACVS_SEARCH_TOTAL_CAP = envint("ACVS_SEARCH_TOTAL_CAP", 10_000)
ACVS_SEARCH_FACET_SAMPLE = envint("ACVS_SEARCH_FACET_SAMPLE", 1_000)
# Who may frame the public widgets (interop): any site by default, or the offices' sites listed (space-separated
# origins). Every other page stays unframable (frame-ancestors 'none', X-Frame-Options: DENY).
ACVS_WIDGET_FRAME_ANCESTORS = envstr("ACVS_WIDGET_FRAME_ANCESTORS", "*").split()
# At most this many offers in one export of a search (spreadsheets, DATAtourisme): beyond, the user narrows it.
ACVS_EXPORT_MAX_OFFERS = envint("ACVS_EXPORT_MAX_OFFERS", 5_000)
# DATAtourisme (RDF) takes about 5 ms an offer to build and write: fewer per download (docs/interop.md).
ACVS_EXPORT_MAX_RDF_OFFERS = envint("ACVS_EXPORT_MAX_RDF_OFFERS", 1_000)
# An availability not confirmed for this many days is shown and searched as unknown.
ACVS_AVAILABILITY_STALE_DAYS = envint("ACVS_AVAILABILITY_STALE_DAYS", 7)
ACVS_MAP_TILES_URL = envstr("ACVS_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# Booklets fetch the tiles of their map server-side (an empty ACVS_MAP_TILES_URL: the drawn map), keep them in this
# folder, and give up after this many seconds per tile (then the drawn map, and no new try for five minutes).
ACVS_MAP_TILES_CACHE = Path(envstr("ACVS_MAP_TILES_CACHE", str(BASE_DIR / "var" / "tiles")))
ACVS_MAP_TILES_TIMEOUT = envint("ACVS_MAP_TILES_TIMEOUT", 3)
ACVS_MAP_TILES_ATTRIBUTION = envstr("ACVS_MAP_TILES_ATTRIBUTION", "© OpenStreetMap")


def tiles_source(url: str) -> str:
    """The CSP source of the tile server: https://{s}.tile.example.org/... -> https://*.tile.example.org."""
    parts = urlsplit(url)
    host = parts.netloc.split(".", 1)
    if host[0].startswith("{"):  # a subdomain placeholder ({s}, {a-c}): any subdomain
        host[0] = "*"
    return f"{parts.scheme}://{'.'.join(host)}"


# Content Security Policy: only this site's own files run (every script is a vendored or static file; no inline
# script, event handler or eval). Styles too come from files, a booklet's colours included (a stylesheet of its own:
# booklet:public_colours). Pictures may also come from the map tile server and data: URIs (QR codes, icons).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", tiles_source(ACVS_MAP_TILES_URL)],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Outgoing email (stay booklets, answers) goes to a real SMTP server. To try locally:
# `uv run python -m aiosmtpd -n -l 127.0.0.1:8025` and EMAIL_PORT=8025.
EMAIL_BACKEND_PATH = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
SMTP_OPTIONS = {
    "host": envstr("EMAIL_HOST", "127.0.0.1"),
    "port": envint("EMAIL_PORT", 25),
    "username": envstr("EMAIL_HOST_USER", ""),
    "password": envstr("EMAIL_HOST_PASSWORD", ""),
    "use_tls": envbool("EMAIL_USE_TLS", False),
    "use_ssl": envbool("EMAIL_USE_SSL", False),
    # Fail fast: the agent is waiting at the counter and gets a clear report.
    "timeout": envint("EMAIL_TIMEOUT", 10),
}
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": SMTP_OPTIONS if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "ACVS <no-reply@acvs.example>")
# Written answers: visitors reply to ANSWERS_ADDRESS plus a token (reponses+<token>@…), read from this IMAP mailbox
# by `fetch_answers_mail` (and its periodic task). Without an address, replies go to the office's own email.
ACVS_ANSWERS_ADDRESS = envstr("ACVS_ANSWERS_ADDRESS", "")
# Envelope sender of outgoing mail, tagged per message (acvs/mailing/verp.py); empty: bounces go to the From address.
ACVS_BOUNCES_ADDRESS = envstr("ACVS_BOUNCES_ADDRESS", "")
ACVS_IMAP_HOST = envstr("ACVS_IMAP_HOST", "")
ACVS_IMAP_PORT = envint("ACVS_IMAP_PORT", 993)
ACVS_IMAP_USER = envstr("ACVS_IMAP_USER", "")
ACVS_IMAP_PASSWORD = envstr("ACVS_IMAP_PASSWORD", "")
ACVS_IMAP_SSL = envbool("ACVS_IMAP_SSL", True)
ACVS_IMAP_FOLDER = envstr("ACVS_IMAP_FOLDER", "INBOX")
# Bounces (delivery status notifications to ACVS_BOUNCES_ADDRESS) are read from the same IMAP server, in their own
# mailbox: its user and password default to the answers' ones (empty here: read at run time), its folder to INBOX.
# An unreadable report is moved to the "aside" folder for a person. N soft bounces in a row: undeliverable.
ACVS_BOUNCES_IMAP_USER = envstr("ACVS_BOUNCES_IMAP_USER", "")
ACVS_BOUNCES_IMAP_PASSWORD = envstr("ACVS_BOUNCES_IMAP_PASSWORD", "")
ACVS_BOUNCES_IMAP_FOLDER = envstr("ACVS_BOUNCES_IMAP_FOLDER", "INBOX")
ACVS_BOUNCES_ASIDE_FOLDER = envstr("ACVS_BOUNCES_ASIDE_FOLDER", "Unreadable")
ACVS_SOFT_BOUNCES_LIMIT = envint("ACVS_SOFT_BOUNCES_LIMIT", 3)

# Contacts' retention (acvs/contacts/retention.py): silent this many years, a contact is asked whether to stay, and
# erased if it does not answer within the notice. Links in emails sent by scheduled tasks start with ACVS_SITE_URL.
ACVS_CONTACT_RETENTION_YEARS = envint("ACVS_CONTACT_RETENTION_YEARS", 3)
ACVS_CONTACT_RETENTION_NOTICE_DAYS = envint("ACVS_CONTACT_RETENTION_NOTICE_DAYS", 30)
ACVS_SITE_URL = envstr("ACVS_SITE_URL", "http://127.0.0.1:8000")
# Campaigns (acvs/campaigns/sending.py): messages per second a sending campaign hands to the mail server, and how
# often (and after how long) a temporary refusal (4xx) is tried again.
ACVS_CAMPAIGN_RATE = envint("ACVS_CAMPAIGN_RATE", 20)
ACVS_CAMPAIGN_ATTEMPTS = envint("ACVS_CAMPAIGN_ATTEMPTS", 3)
ACVS_CAMPAIGN_RETRY_SECONDS = envint("ACVS_CAMPAIGN_RETRY_SECONDS", 600)
# How much lower than the web servers' the sending's CPU priority is (nice increment of the worker's thread while it
# sends; 0: unchanged): the counter and the other pages keep the CPU first on a machine shared with the worker.
ACVS_CAMPAIGN_NICE = envint("ACVS_CAMPAIGN_NICE", 10)
# Linux: the sending's thread also takes the SCHED_IDLE policy (a page's process that wakes preempts it at once: the
# counter's p95 x1.03 while sending, against x1.32 niced only; docs/performance-campaigns.md).
ACVS_CAMPAIGN_IDLE = envbool("ACVS_CAMPAIGN_IDLE", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# Contact imports (acvs/contacts/importing.py): the largest file accepted, the most lines, and up to how many lines
# the dry run and the commit answer at once (beyond, they run as a background job with its progress).
# A text search in the contacts counts its matches exactly up to this many; beyond, the list shows an estimate
# (PostgreSQL's, checked by a count up to this cap when it is within twice it: contacts.selectors.list_page).
ACVS_CONTACT_EXACT_COUNT_MAX = envint("ACVS_CONTACT_EXACT_COUNT_MAX", 3_000)
ACVS_CONTACT_IMPORT_MAX_BYTES = envint("ACVS_CONTACT_IMPORT_MAX_BYTES", 50 * 1000 * 1000)
ACVS_CONTACT_IMPORT_MAX_LINES = envint("ACVS_CONTACT_IMPORT_MAX_LINES", 200_000)
ACVS_CONTACT_IMPORT_INLINE_LINES = envint("ACVS_CONTACT_IMPORT_INLINE_LINES", 2_000)

# Contacts' double opt-in and public pages (acvs/contacts/optin.py, public_views.py). A confirmation link is valid
# this many days; unconfirmed, the consent never counts. Links in mail sent without a request at hand (the counter's
# phone requests, imports) start with ACVS_SITE_URL. The public form refuses a post sooner than the minimum after
# the page was served, and more than ACVS_PUBLIC_FORM_RATE posts per client address per hour.
ACVS_OPTIN_DAYS = envint("ACVS_OPTIN_DAYS", 7)
ACVS_PUBLIC_FORM_MIN_SECONDS = envint("ACVS_PUBLIC_FORM_MIN_SECONDS", 3)
ACVS_PUBLIC_FORM_MAX_AGE = envint("ACVS_PUBLIC_FORM_MAX_AGE", 24 * 3600)
ACVS_PUBLIC_FORM_RATE = envint("ACVS_PUBLIC_FORM_RATE", 10)
