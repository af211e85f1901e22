"""Settings for the research archive, read from environment variables (12-factor).

Every variable is documented in the README's settings table. Defaults are safe:
DEBUG is off, and without DEBUG a SECRET_KEY must be given.
"""

import ipaddress
import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (1/0, true/false), not {value!r}"
    )


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_database_url(url: str) -> dict:
    """Turn DATABASE_URL into a DATABASES entry (sqlite:///path or postgres://...)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path.sqlite3 and sqlite:////absolute/path.sqlite3
        path = unquote(parsed.path[1:]) if parsed.path.startswith("/") else parsed.path
        if path in {"", ":memory:"}:
            path = ":memory:"
        elif not Path(path).is_absolute():
            path = str(BASE_DIR / path)
        # Connections kept, as for PostgreSQL: a new SQLite connection reads
        # and parses the schema again on its first query and starts with an
        # empty page cache, about 1 ms per request (bench/api_bench.py).
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "CONN_MAX_AGE": 60,
        }
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = dict(parse_qsl(parsed.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported; "
        "use sqlite:///path or postgres://user@host:port/name"
    )


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. "
            "Set it in the environment (make run sets DEBUG=1 for local use)."
        )
    SECRET_KEY = "insecure-development-only-key-never-used-with-debug-off"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The site's own public address, used in feeds, citations and permanent links
# when a request is not at hand (management commands, exports).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "editorial.apps.ArchiveAdminConfig",  # django.contrib.admin + the dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Staff sign-in's second factor: authenticator apps, recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The project package keeps only its migration history (ApiKey moved to
    # kernel); its search engine (archive/search/) has no models.
    "archive",
    "kernel",
    "languages",
    "library",
    "actors",
    "briefs",
    "editorial",
    "publishing",
    "demo",
]

MIDDLEWARE = [
    # First, so that every API answer (even a redirect or an error) has CORS.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the policy too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, where its docs place it (after sessions,
    # before CommonMiddleware), plus the archive's rules (languages/middleware.py).
    "languages.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session given a second-factor code.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"
ASGI_APPLICATION = "archive.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        # APP_DIRS only so that the admin's and DRF's templates resolve.
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "archive.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "archive",
            # A cache outage degrades to uncached pages rather than 500s.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole-page cache and conditional GET for public pages (kernel/pagecache.py),
# in seconds; 0 turns both off. It needs a cache shared by every process, so
# it is on by default only with REDIS_URL.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 300 if REDIS_URL else 0))
# Render each edition's PDF in a background thread right after it is published
# (publishing/pdfs.py); off, the first reader to ask waits for it instead.
EDITION_PDF_AFTER_PUBLISH = env_bool("EDITION_PDF_AFTER_PUBLISH", True)
# Draw each edition's social card (og:image, publishing/cards.py) right after
# it is published; off, `manage.py rebuild_editions` draws the missing ones.
EDITION_CARDS_AFTER_PUBLISH = env_bool("EDITION_CARDS_AFTER_PUBLISH", True)
# How often a process re-reads the content generation from the shared cache:
# a change made elsewhere reaches this process's cached pages within this time.
PAGE_CACHE_RECHECK_SECONDS = float(os.environ.get("PAGE_CACHE_RECHECK_SECONDS", 1))
# Prepare the unfiltered brief list (its counts and facets) once per content
# generation instead of per request (publishing/views.py::BriefListView). Like the
# page cache it needs the generation in a cache shared by every process, so it
# is on by default only with REDIS_URL; it works with the page cache off.
PREPARED_LISTS = env_bool("PREPARED_LISTS", bool(REDIS_URL))
# Two pairs of eyes: whoever submitted a brief or a correction for review may
# not approve it; a superuser may, giving a reason (editorial/workflow.py).
FOUR_EYES = env_bool("FOUR_EYES", True)
# The editorial dashboard lists public recommendations whose latest published
# assessment (or, never assessed, whose publication) is older than this.
REASSESS_AFTER_DAYS = int(os.environ.get("REASSESS_AFTER_DAYS", 183))
if REASSESS_AFTER_DAYS < 1:
    raise ImproperlyConfigured("REASSESS_AFTER_DAYS must be at least 1 (days).")

_VALIDATORS = "django.contrib.auth.password_validation"
# Staff sign-in pauses after repeated wrong passwords (editorial/logins.py).
AUTHENTICATION_BACKENDS = ["editorial.logins.LockoutBackend"]
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", 5))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", 20))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", 900))

# The second factor (editorial/second_factor.py): superusers and these groups
# must sign in with an authenticator app's code when OTP_REQUIRED is on (it is
# unless DEBUG); anybody may enrol one. The issuer names the site in the app.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEBUG)
OTP_REQUIRED_GROUPS = env_list("OTP_REQUIRED_GROUPS", ["Publisher"])
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Pupin Initiative archive")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

# English, Serbian Cyrillic, Serbian Latin (languages/codes.py): English
# unprefixed, /sr/ and /sr-latn/ for Serbian in its two scripts.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("sr", "Српски"), ("sr-latn", "Srpski")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in templates use the localized names (DATE_FORMAT ...): English keeps
# "21 May 2025" (archive/formats/en), Serbian is Django's "21. мај 2025.".
FORMAT_MODULE_PATH = ["archive.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Belgrade")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names in production; plain files while developing
        # so that `make run` needs no collectstatic step.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

_MAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": (
            {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", 25)),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
            }
            if _MAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "archive@localhost")

# Security: production values pass `manage.py check --deploy`.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = (
    0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Enforced on every response (README, *Security*). No inline script or style
# anywhere but the API docs page, which marks its own with the request's nonce
# (templates/drf_spectacular/swagger_ui.html); JSON-LD blocks are data, not
# script. data: images are Swagger UI's icons.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Partner API (docs/api.md) ----------------------------------------------


def env_rate(name: str, default: str) -> str:
    """A DRF rate such as "60/min"; checked here so a typo fails at start-up."""
    value = os.environ.get(name, default).strip()
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(
            f"{name} must look like 60/min (a count, '/', then s, min, hour or "
            f"day), not {value!r}"
        )
    return value


# Requests per client address without a key, and per key with one.
API_ANON_RATE = env_rate("API_ANON_RATE", "60/min")
API_KEY_RATE = env_rate("API_KEY_RATE", "600/min")
# Searches run by the /search/ page per client address (archive/views.py).
SEARCH_RATE = env_rate("SEARCH_RATE", "30/min")
# How long any search query may run, on the /search/ page and in every API
# list with `q` (ranking, match, count, page); past it: "too broad", a 400.
# At least 1: PostgreSQL reads a statement_timeout of 0 as "no limit".
SEARCH_TIME_LIMIT_MS = int(os.environ.get("SEARCH_TIME_LIMIT_MS", 500))
if SEARCH_TIME_LIMIT_MS < 1:
    raise ImproperlyConfigured("SEARCH_TIME_LIMIT_MS must be at least 1.")

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks).
# Empty: REMOTE_ADDR is the client, and X-Forwarded-For is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network"
        ) from None

REST_FRAMEWORK = {
    # DRF's own defaults are unpaginated and AllowAny-for-everything; be explicit.
    # Reading is public (the issue asks for anonymous access); the viewsets are
    # ReadOnlyModelViewSets, so writes are 405 whatever the permission says.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["kernel.authentication.ApiKeyAuthentication"],
    "DEFAULT_THROTTLE_CLASSES": [
        "kernel.throttling.ClientAddressThrottle",
        "kernel.throttling.ApiKeyThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "kernel.rest.ArchivePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "kernel.rest.StrictOrderingFilter",
    ],
    # JSON only: no browsable API, no ?format= switch.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "URL_FORMAT_OVERRIDE": None,
    "EXCEPTION_HANDLER": "kernel.rest.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "kernel.schema.ArchiveAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Pupin Initiative archive API",
    "DESCRIPTION": (
        "Read-only access to the published briefs, people, actors, agreements, "
        "recommendations and topics of the research archive. Anonymous use is "
        "allowed at a modest rate; partners get API keys for more. See the "
        "partner guide (docs/api.md) for keys, rates, filters, pagination and "
        "the versioning policy."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI from local static files (drf-spectacular-sidecar): the docs
    # work offline and load nothing from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No online validator badge (it would call out to swagger.io).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "actors.models.ActorKind",
        "AgreementKindEnum": "actors.models.AgreementKind",
        "AgreementStatusEnum": "actors.models.AgreementStatus",
        "MutualDefenseEnum": "actors.models.MutualDefense",
        "IndicatorStatusEnum": "actors.models.IndicatorStatus",
        "MetricEnum": "actors.models.Metric",
        "BriefKindEnum": "briefs.models.BriefKind",
        "ImplementationStatusEnum": "briefs.models.ImplementationStatus",
        "LanguageEnum": "briefs.models.Language",
        "LicenceEnum": "briefs.models.Licence",
        "PolicyAreaEnum": "briefs.models.PolicyArea",
        "RoleEnum": "briefs.models.Role",
    },
}

# CORS: any origin may read the API from a browser; nothing else is shared.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "x-api-key",
    "if-none-match",
    "if-modified-since",
]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The publishing institution, used in citations, feeds and structured data.
PUBLISHER = {
    "name": "Pupin Initiative",
    "local_name": "Пупин Иницијатива",
    # The place of publication that Chicago and BibTeX print.
    "place": "Belgrade",
    "addresses": [
        "Палмотићева 16, 11100 Београд, Србија",
        "1717-1 N St NW, Washington, DC 20036, USA",
    ],
}

# How readers reach the publisher: the about page, the accessibility
# statement and the footer. Empty values are left off the pages.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "").strip()
CONTACT_OFFICES = [
    {
        "city": "Belgrade",
        "address": os.environ.get(
            "CONTACT_BELGRADE_ADDRESS", PUBLISHER["addresses"][0]
        ).strip(),
        "phone": os.environ.get("CONTACT_BELGRADE_PHONE", "").strip(),
    },
    {
        "city": "Washington",
        "address": os.environ.get(
            "CONTACT_WASHINGTON_ADDRESS", PUBLISHER["addresses"][1]
        ).strip(),
        "phone": os.environ.get("CONTACT_WASHINGTON_PHONE", "").strip(),
    },
]

# OAI-PMH (/oai/): records per response before a resumption token is issued,
# and the contact address that the Identify verb publishes (set it in production).
OAI_PAGE_SIZE = 100
OAI_ADMIN_EMAIL = os.environ.get("OAI_ADMIN_EMAIL", DEFAULT_FROM_EMAIL)
