"""Retail Studio settings: every deployment-specific value comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from generation.copy.limits import parse_limits

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime state (SQLite file, media, caches) lives in one ignored folder inside the project.
VAR_DIR = Path(os.environ.get("RETAIL_STUDIO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DJANGO_DEBUG", False)
# From the environment, else the key `make run` made once for this machine in var/secret_key. Without either
# the studio refuses to start (unless DJANGO_DEBUG is on): a key anyone can read in the repository would let
# them forge sessions.
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    SECRET_KEY_FILE.read_text().strip() if SECRET_KEY_FILE.exists() else ""
)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (a long random string) to run Retail Studio; `make run` makes one in var/."
        )
    SECRET_KEY = "insecure-debug-only-key"
# Demo logins with known passwords exist only where this is on (`make run` turns it on); never in a deployment.
STUDIO_DEMO = env_bool("STUDIO_DEMO", False)
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# A deployment behind HTTPS sets DJANGO_SECURE=1: HTTPS only (HSTS for a year, redirects), cookies over HTTPS
# only. `manage.py check --deploy` is clean with it. Behind a proxy that ends TLS, it must send X-Forwarded-Proto.
if env_bool("DJANGO_SECURE", False):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc as our own static files, nothing from a CDN
    "django_celery_beat",
    "axes",
    "csp",
    "catalog",
    "generation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First: a request body over MAX_REQUEST_BYTES is refused before anything reads it.
    "retail_studio.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The dashboard's language: the language cookie (the person's own choice, set when they choose it and when they
    # log in), else the browser's.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page and endpoint needs a login unless a view opts out explicitly.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "retail_studio.urls"
WSGI_APPLICATION = "retail_studio.wsgi.application"

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
                "catalog.context_processors.role_flags",
                "generation.context_processors.generation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'retail_studio.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a worker writes progress.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("DJANGO_TEST_DB", str(VAR_DIR / "test.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a login while its username and address are locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Login rate limit: after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair waits
# AXES_COOLOFF_MINUTES (a clear page says so); an admin unlocks it at once in the admin (Axes → access attempts).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many proxies in front of the studio append to X-Forwarded-For (0: the socket's address is the client's, and
# whatever a client writes in that header is ignored). The login limit and the storefront's limits use it.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "retail_studio.client_address.client_address"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "catalog:product_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# The languages the dashboard speaks (the content's are generation.copy.vocabulary.LANGUAGES: en, zh). The
# catalogs are committed compiled, so a fresh clone needs no gettext; `make messages` makes them anew.
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Set (e.g. "/protected-media/") when the web server serves MEDIA_ROOT from an internal location: Django checks
# the role, the web server sends the file (X-Accel-Redirect).
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Media on S3-compatible storage (AWS, MinIO, Ceph, R2) when several machines share it. The bucket stays
# private: /media/ checks the role, then redirects to a URL signed for MEDIA_S3_URL_SECONDS.
if os.environ.get("DJANGO_STORAGE", "filesystem") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("MEDIA_S3_URL_SECONDS", 300),
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = True

# Every page's Content-Security-Policy: scripts from the studio's own static files only (no inline script, no
# eval), images from itself (and data: for the demo shop's photos, the media bucket when media is on S3).
_media_origins = []
if os.environ.get("DJANGO_STORAGE", "filesystem") == "s3":
    _endpoint = urlparse(os.environ.get("AWS_S3_ENDPOINT_URL") or "https://s3.amazonaws.com")
    _media_origins = [f"{_endpoint.scheme}://{_endpoint.netloc}", f"{_endpoint.scheme}://*.{_endpoint.netloc}"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # style attributes (progress bars' widths), never script
        "img-src": ["'self'", "data:", "blob:", *_media_origins],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Caches: each process's own memory, but the storefront's throttle counters, which live in Redis when
# THROTTLE_REDIS_URL is set (`make run` sets it), so that every web process and machine counts together.
THROTTLE_REDIS_URL = os.environ.get("THROTTLE_REDIS_URL", "")
_THROTTLES_IN_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": THROTTLE_REDIS_URL,
    "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttles": _THROTTLES_IN_REDIS
    if THROTTLE_REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttles"},
}

# Uploads: the import checks each image's bytes and pixels before decoding it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
CATALOG_MAX_IMAGE_BYTES = env_int("CATALOG_MAX_IMAGE_BYTES", 20 * 1024 * 1024)
CATALOG_MAX_IMAGE_PIXELS = env_int("CATALOG_MAX_IMAGE_PIXELS", 40_000_000)
CATALOG_MAX_ARCHIVE_BYTES = env_int("CATALOG_MAX_ARCHIVE_BYTES", 2 * 1024 * 1024 * 1024)
CATALOG_MAX_CSV_BYTES = env_int("CATALOG_MAX_CSV_BYTES", 100 * 1024 * 1024)
CATALOG_MAX_ARCHIVE_MEMBERS = env_int("CATALOG_MAX_ARCHIVE_MEMBERS", 500_000)
# The largest request body accepted at all (an import's zip as sent, compressed); larger ones get a 413.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 1024 * 1024 * 1024)
CATALOG_THUMBNAIL_SIZE = env_int("CATALOG_THUMBNAIL_SIZE", 256)
CATALOG_PAGE_SIZE = env_int("CATALOG_PAGE_SIZE", 48)
DEMO_DATA_DIR = Path(os.environ.get("DEMO_DATA_DIR", BASE_DIR.parent / "shared" / "data" / "fashion-mnist"))
# The fashion shop's catalog (10,249 products, colour photos): `make run`'s demo where this folder exists.
FASHION_DEMO_DIR = Path(os.environ.get("FASHION_DEMO_DIR", BASE_DIR.parent / "shared" / "data" / "fashion-products"))
DEMO_FALLBACK_DIR = BASE_DIR / "catalog" / "demo_data"

REST_FRAMEWORK = {
    # Scripts send "Authorization: Token <key>" (a key per user, made on /account/api-token/ or in the admin);
    # the browser's own calls use its session, with CSRF.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "catalog.api_auth.PersonTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # A login for everything; writes need the role the page needs (catalog.roles.HasRole).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "catalog.roles.HasRole"],
    # JSON bodies; the upload endpoints take multipart forms and say so themselves.
    "DEFAULT_PARSER_CLASSES": ["retail_studio.api_defaults.UnicodeJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "retail_studio.api_defaults.StudioPagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50),
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "retail_studio.api.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Retail Studio API",
    "DESCRIPTION": "The catalog, generative models, jobs and review of Retail Studio. Every generated image "
    "and text carries its provenance and `ai_generated: true`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProductStatusEnum": "catalog.models.Product.Status",
        "CatalogImportStatusEnum": "catalog.models.CatalogImport.Status",
        "JobStatusEnum": "generation.models.jobs.JobStatus",
        "FamilyEnum": "generation.models.registry.Family",
        "ReviewStateEnum": "generation.models.review.GeneratedItem.ReviewState",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "retail_studio.api.document_error_answers",
    ],
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
# A Redis reached over the network needs a password: anyone who can write to the queue can make workers run jobs.
_broker = urlparse(CELERY_BROKER_URL)
if _broker.hostname not in {"127.0.0.1", "localhost", "::1", None} and not _broker.password:
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL points at {_broker.hostname} without a password; give Redis one (requirepass) and "
        "put it in the URL: redis://:PASSWORD@host:6379/0 (rediss:// for TLS)."
    )
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
# JSON only: a message on the broker can never make a worker unpickle code.
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
# Redis redelivers an unacknowledged task after this long; it must outlast the longest job's hard time limit
# (a day's budget x 1.5, plus its decoding and measuring: about 36 h), or a running job would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 40 * 3600)}
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Training, sampling and judging generated images go to the `gpu` queue: a GPU machine runs
# `celery worker -Q gpu`, and keeps the catalog reference warm for all three.
CELERY_TASK_ROUTES = {
    "generation.tasks.training_job_run_task": {"queue": "gpu"},
    "generation.tasks.sampling_job_run_task": {"queue": "gpu"},
    "generation.tasks.generated_items_judge_task": {"queue": "gpu"},
    # Image features have a worker of their own, so a new photo's similar items never wait behind a training.
    "generation.tasks.image_features_compute_task": {"queue": "features"},
    # ... and so do the product rows computed ahead from them (the features worker keeps the catalog's view warm).
    "generation.tasks.product_rows_compute_task": {"queue": "features"},
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # implicit logs every ALS iteration's loss; the job's own progress says it once.
    "loggers": {"implicit": {"level": "WARNING"}},
}

# The image engine: cached training arrays, classifier weights and resumable training checkpoints.
GAN_WORK_DIR = Path(os.environ.get("GAN_WORK_DIR", VAR_DIR / "gan"))
GAN_CHECKPOINT_SECONDS = float(os.environ.get("GAN_CHECKPOINT_SECONDS", 60))
# How often a training job measures itself and draws a sample grid for its live page.
GAN_PREVIEW_SECONDS = float(os.environ.get("GAN_PREVIEW_SECONDS", 60))
# A running job whose worker has not written progress for this long is taken to be dead.
GENERATION_JOB_STALE_SECONDS = float(os.environ.get("GENERATION_JOB_STALE_SECONDS", 600))
GENERATION_RETRAIN_MINUTES = float(os.environ.get("GENERATION_RETRAIN_MINUTES", 10))
GENERATION_AUTO_PROMOTE = env_bool("GENERATION_AUTO_PROMOTE", False)
# The first run with the demo catalog queues a short image and copywriter training, then sampling and copy
# jobs from what they register, so the review queue fills without a click; STUDIO_FIRST_JOBS=0 turns it off.
STUDIO_FIRST_JOBS = env_bool("STUDIO_FIRST_JOBS", True)
FIRST_RUN_BUDGETS = {
    "image": {"minutes": float(os.environ.get("FIRST_RUN_IMAGE_MINUTES", 3))},
    "copy": {"minutes": float(os.environ.get("FIRST_RUN_COPY_MINUTES", 1.5))},
}
# Review: admins may approve items they generated themselves only when this is on (reviewers never may).
REVIEW_ADMINS_MAY_APPROVE_OWN = env_bool("REVIEW_ADMINS_MAY_APPROVE_OWN", False)
# Copy: an OpenAI-compatible chat-completions endpoint, used when a copy job names no built-in model.
COPY_ENDPOINT_URL = os.environ.get("COPY_ENDPOINT_URL", "")  # e.g. http://127.0.0.1:8080/v1
COPY_ENDPOINT_MODEL = os.environ.get("COPY_ENDPOINT_MODEL", "default")
COPY_ENDPOINT_KEY = os.environ.get("COPY_ENDPOINT_KEY", "")
COPY_ENDPOINT_TIMEOUT = float(os.environ.get("COPY_ENDPOINT_TIMEOUT", 30))
# Flagged variants are dropped instead of queued (with their flags) for a reviewer.
COPY_REJECT_FLAGGED = env_bool("COPY_REJECT_FLAGGED", False)
# The channels' own limits in characters, beside the built-in ones: "zh.ad_headline=12,en.title=60".
COPY_LIMITS = parse_limits(os.environ.get("COPY_LIMITS", ""))

# The storefront: what shoppers may send, how often (per key a minute and a day, per address and endpoint, per
# conversation), how long a shopper token may live, and whether the copy endpoint (COPY_ENDPOINT_URL) phrases
# the assistant's answers (checked as the built-in ones are).
STOREFRONT_MAX_MESSAGE_CHARS = env_int("STOREFRONT_MAX_MESSAGE_CHARS", 1000)
STOREFRONT_RATE_PER_KEY = os.environ.get("STOREFRONT_RATE_PER_KEY", "600/min")
STOREFRONT_RATE_PER_KEY_DAY = os.environ.get("STOREFRONT_RATE_PER_KEY_DAY", "200000/day")
STOREFRONT_RATE_PER_ADDRESS = os.environ.get("STOREFRONT_RATE_PER_ADDRESS", "60/min")
STOREFRONT_RATE_PER_CONVERSATION = os.environ.get("STOREFRONT_RATE_PER_CONVERSATION", "20/min")
# A shop's tokens should live an hour or so; the studio's anonymous ones live this long, the most accepted.
STOREFRONT_SHOPPER_TOKEN_MAX_SECONDS = env_int("STOREFRONT_SHOPPER_TOKEN_MAX_SECONDS", 30 * 24 * 3600)
ASSISTANT_USE_ENDPOINT = env_bool("ASSISTANT_USE_ENDPOINT", True)
ASSISTANT_ENDPOINT_TIMEOUT = float(os.environ.get("ASSISTANT_ENDPOINT_TIMEOUT", 5))
# Where a storefront's product cards link: the shop's own product page ({sku}); the studio's demo storefront by
# default.
STOREFRONT_PRODUCT_URL = os.environ.get("STOREFRONT_PRODUCT_URL", "/storefront/demo/?sku={sku}")

# Shoppers' events: the most in one API batch (staff; a browser; a shop's server), how far ahead of the server's
# clock an event's time may be (shops' clocks drift a little; further ahead is a bad time), and how long events
# are kept (a storefront's older ones are refused; the nightly training's run removes every older one).
EVENTS_MAX_BATCH = env_int("EVENTS_MAX_BATCH", 10_000)
STOREFRONT_MAX_EVENTS = env_int("STOREFRONT_MAX_EVENTS", 50)
STOREFRONT_SERVER_MAX_EVENTS = env_int("STOREFRONT_SERVER_MAX_EVENTS", 1000)
STOREFRONT_EVENT_FUTURE_SECONDS = env_int("STOREFRONT_EVENT_FUTURE_SECONDS", 300)
EVENTS_RETENTION_DAYS = env_int("EVENTS_RETENTION_DAYS", 400)
