"""Django settings, read from ICTMONITOR_* environment variables (see docs/operations.md)."""

from __future__ import annotations

from django.utils.csp import CSP

from ictmonitor import config
from ictmonitor.connectivity import standards as connectivity_standards

BASE_DIR = config.PACKAGE_DIR
DATA_DIR = config.data_dir()

SECRET_KEY = config.secret_key()
DEBUG = config.env_flag("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in config.env("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in config.env("CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ictmonitor.core",
    "ictmonitor.accounts",
    "ictmonitor.registry",
    "ictmonitor.connectivity",
    "ictmonitor.procurement",
    "ictmonitor.vouchers",
    "ictmonitor.assessment",
    "ictmonitor.incidents",
    "ictmonitor.reports",
    "ictmonitor.api",
    "ictmonitor.demo",
    "ictmonitor.jobs",
    "ictmonitor.measurements",
    "ictmonitor.home",
    "ictmonitor.notifications",
    "django_tasks_db",
]

MIDDLEWARE = [
    # the measuring agents' well-formed posts answered before the stack (measurements/fastlane.py)
    "ictmonitor.measurements.fastlane.AgentsFastLane",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "ictmonitor.accounts.sessions.IdleTimeoutMiddleware",
]

ROOT_URLCONF = "ictmonitor.urls"
WSGI_APPLICATION = "ictmonitor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ictmonitor.jobs.context_processors.jobs",
                "ictmonitor.notifications.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": config.database_from_url(
        config.env("DATABASE_URL") or config.default_database_url()
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:start"  # each role lands on its own home (home/views.py)
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes; accounts/throttling.py): failed logins are counted by three
# rules, each with its own limit; a rule that reaches its limit within 15 minutes locks for 15
# minutes. One user name from one address (a forgotten password, a guessed one); one address
# whatever the user names (one password tried against many); one user name from any address.
LOGIN_THROTTLE_RULES = [
    (["username", "ip_address"], config.env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)),
    (["ip_address"], config.env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)),
    (["username"], config.env_int("LOGIN_USERNAME_FAILURE_LIMIT", 50, minimum=1)),
]
AXES_HANDLER = "ictmonitor.accounts.throttling.PerRuleLimits"
AXES_LOCKOUT_PARAMETERS = [fields for fields, _ in LOGIN_THROTTLE_RULES]
AXES_FAILURE_LIMIT = LOGIN_THROTTLE_RULES[0][1]
AXES_COOLOFF_TIME = 0.25
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Behind a TLS-terminating reverse proxy (docs/operations.md): how many proxies stand in front.
# Only then are the headers they set trusted: X-Forwarded-Proto (is the request HTTPS?),
# X-Forwarded-Host (the name asked for, still checked against ALLOWED_HOSTS) and, for login
# throttling, X-Forwarded-For (the client's address). django-ipware counts the proxies listed
# in X-Forwarded-For after the client, which excludes the last one (REMOTE_ADDR): hence - 1.
# It takes the address that many places from the right, the one our own proxies wrote; what a
# client put before it is ignored (not strict: a chain a client lengthened still counts).
PROXY_COUNT = config.env_int("PROXY_COUNT", 0)
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    IPWARE_STRICT = False
SECURE_SSL_REDIRECT = config.env_flag("SSL_REDIRECT")
SECURE_HSTS_SECONDS = config.env_int("HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.env_flag("HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = config.env_flag("HSTS_PRELOAD")

# A session ends after this long without a request (accounts/sessions.py keeps it alive).
SESSION_COOKIE_AGE = config.env_int("SESSION_IDLE_MINUTES", 480, minimum=1) * 60
SESSION_ENGINE = "ictmonitor.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = config.env_flag("SECURE_COOKIES")
CSRF_COOKIE_SECURE = config.env_flag("SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Collected at install (`make install`) and by `ictmonitor serve` when missing or stale:
    # names carry a hash of the content, so WhiteNoise serves them compressed (br, gzip) with a
    # far-future, immutable cache. With DEBUG on, the files are served from the apps directly.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 400) is the client's doing: one line, no traceback.
    "filters": {"client_errors_brief": {"()": "ictmonitor.core.logfilters.ClientErrorsBrief"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "filters": ["client_errors_brief"]}},
    "root": {"handlers": ["console"], "level": config.env("LOG_LEVEL", "WARNING")},
}

# How many bad lines an import lists before it says "and N more".
IMPORT_PROBLEM_LIMIT = config.env_int("IMPORT_PROBLEM_LIMIT", 100, minimum=1)
# A large upload is spooled into DATA_DIR/uploads/, so that keeping it for its job is a rename,
# not a copy from the system's temporary folder (jobs/spooled.py).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "ictmonitor.jobs.spooled.SpoolInDataDir",
]
# The largest file the upload page takes, in MiB.
IMPORT_MAX_UPLOAD_MB = config.env_int("IMPORT_MAX_UPLOAD_MB", 200, minimum=1)
# How many rows an import validates and stages at a time.
IMPORT_BATCH_SIZE = config.env_int("IMPORT_BATCH_SIZE", 5000, minimum=1)
# On SQLite (one writer for the whole database) a file of more rows than this is merged in slices
# of about this many, each its own short transaction, so other users' writes wait a fraction of
# a second instead of the whole merge; a failed or killed import's slices are taken back.
IMPORT_MERGE_SLICE_ROWS = config.env_int("IMPORT_MERGE_SLICE_ROWS", 25000, minimum=1)

# The LibreSpeed-compatible speed-test endpoints (/speedtest/, measurements/speedtest.py) are open
# to agents without an account; each request is bounded: at most this many 1 MiB chunks down and
# this many MiB up.
SPEEDTEST_MAX_CHUNKS = config.env_int("SPEEDTEST_MAX_CHUNKS", 100, minimum=1)
SPEEDTEST_MAX_UPLOAD_BYTES = config.env_int("SPEEDTEST_MAX_UPLOAD_MB", 64, minimum=1) * 1024 * 1024
# School hours of the measurements' figures (contracts/measurements.md): Monday to Friday, from
# the first hour to the last, in this zone.
MEASUREMENTS_TIME_ZONE = "Europe/Brussels"
MEASUREMENTS_SCHOOL_HOURS = (8, 17)
# Raw measurements are kept this many days (measurements/partitioning.py: on PostgreSQL whole
# months are dropped once all of a month is older), their day rollups for ever.
MEASUREMENTS_RETENTION_DAYS = config.env_int("MEASUREMENT_RETENTION_DAYS", 400, minimum=1)
# An agent's post is answered once its items are stored in the inbox; every worker folds the
# inbox into the measurements and their rollups every this many seconds (measurements/inbox.py).
# Folded in the request instead when on (the tests, as their jobs run in the request).
MEASUREMENTS_FOLD_EVERY = 1.0
MEASUREMENTS_FOLD_IN_REQUEST = False

# The connectivity standard lines are judged against: a code in connectivity/data/standards.yaml
# (connectivity/standards.py). An unknown code stops start-up, naming the codes there are.
CONNECTIVITY_STANDARD = connectivity_standards.checked_choice(
    config.env("CONNECTIVITY_STANDARD", "dfe-2022"))

# Background jobs (imports): Django's tasks framework, kept in the database (django-tasks-db), run
# by `ictmonitor worker` (started beside the web server by `ictmonitor serve`).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Which of TASKS runs the jobs (the tests run them at once, in the request: "immediate").
JOBS_TASK_BACKEND = "default"

# E-mail (notifications' daily digest): ICTMONITOR_EMAIL_URL, e.g. smtp://USER:PASS@HOST:587 or
# smtps://… (a provider's relay); unset, the console backend writes e-mails to the output.
MAILERS = config.mailers_from_url(config.env("EMAIL_URL"))
DEFAULT_FROM_EMAIL = config.env("EMAIL_FROM", "ictmonitor@localhost")
# The site's own address, for links in e-mails.
SITE_URL = config.env("SITE_URL", "http://localhost:8000")
