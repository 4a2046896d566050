"""Settings for the One Team Gov Sverige portal, read from the environment (see .env.example)."""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core: secrets, debug, hosts --------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Development and the tests: DJANGO_DEBUG, the embedded database asked for (the Makefile and the tests
# do), or pytest itself. Anywhere else the variables production must set are required.
DEVELOPMENT = DEBUG or env.bool("DJANGO_EMBEDDED_DB", default=False) or "pytest" in sys.modules
# The development key is known to everyone who has the code: with it anyone could sign an address
# confirmation or an unsubscribe link. Its prefix makes `check --deploy` refuse it (security.W009)
# even where the development switches are set by mistake.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY and DEVELOPMENT:
    SECRET_KEY = "django-insecure-development-key-only-for-local-use-0123456789"  # noqa: S105
elif not SECRET_KEY:
    from otg.configuration import NotConfigured

    raise NotConfigured(
        'DJANGO_SECRET_KEY is not set: set it to 50 or more random characters (python -c "import secrets; '
        'print(secrets.token_urlsafe(50))"), or set DJANGO_DEBUG=true to develop with a development key.'
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Applications: Django, third-party, ours ---------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "taggit",
    "csp",
    "procrastinate.contrib.django",
]
OUR_APPS = [
    "members",
    "events",
    "interviews",
    "otg.jobs",
    "otg.site",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + OUR_APPS
SITE_ID = 1

MIDDLEWARE = [
    # Outermost, so that every response carries the security headers, the early refusals of the
    # middleware below (a NUL byte, an HTTPS redirect, a static file) too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "otg.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "otg.middleware.PrivateWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.StaffMFAMiddleware",
    "otg.middleware.FriendlyMethodNotAllowedMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

# Forms render through templates/django/forms/ (labels, help and errors the same way on every page).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ROOT_URLCONF = "otg.urls"
CSRF_FAILURE_VIEW = "otg.site.views.csrf_failure"
WSGI_APPLICATION = "otg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "otg.site.context_processors.navigation",
            ],
        },
    },
]

# --- Database: DATABASE_URL, or a private embedded PostgreSQL under var/ for development ----------
# The embedded server is for a developer's machine and the tests only: under DJANGO_DEBUG, when the
# Makefile or a test asks for it (DJANGO_EMBEDDED_DB=true), or under pytest. Anywhere else a missing
# DATABASE_URL is a mistake, and the portal refuses to start rather than serve an empty database.
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
elif DEVELOPMENT:
    from otg.embedded_db import DATABASE_NAME, ensure_server

    # Started here, where the settings are built: pytest-django, migrate and runserver all read
    # DATABASES early, and a server started any later would be too late for them.
    _pgdata = Path(env("EMBEDDED_PG_DATA", default=str(VAR_DIR / "pg")))
    _dbname = env("EMBEDDED_PG_DATABASE", default=DATABASE_NAME)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _dbname,
            "USER": "postgres",
            "HOST": str(ensure_server(_pgdata, _dbname)),
        }
    }
else:
    from otg.embedded_db import DatabaseNotConfigured

    raise DatabaseNotConfigured(
        "DATABASE_URL is not set: set it to the production database (postgres://user:password@host:5432/"
        "name), or set DJANGO_DEBUG=true to develop with the embedded PostgreSQL under var/pg."
    )
# A kept connection is checked before the first query of a request, so a server restart or a
# failover costs no failed request (Django's documented CONN_HEALTH_CHECKS).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
# A read replica (managed PostgreSQL): reads of the apps listed go there, everything else to the
# primary (otg/db_router.py). It gets the primary's connection options. Tests see the replica as the
# primary itself.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].update(
        {
            "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {**DATABASES["default"]["OPTIONS"], **DATABASES["replica"].get("OPTIONS", {})},
            "TEST": {"MIRROR": "default"},
        }
    )
    DATABASE_ROUTERS = ["otg.db_router.ReplicaRouter"]
DATABASE_REPLICA_APPS = env.list("DATABASE_REPLICA_APPS", default=["interviews", "taggit"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every worker (allauth's rate limits need that) ---------------------------
CACHES = {
    "default": env.cache("CACHE_URL", default="dbcache://django_cache"),
    # Rendered fragments live in each worker's memory. Their keys carry the generations read from
    # the shared cache above on every request, and a write retires those (otg.common.caching), so a
    # key once retired is never asked for again and no worker can serve a stale fragment. The whole
    # pages kept for visitors (otg.common.pages) are keyed the same way. Nothing else may live here.
    # {% cache %} picks this alias by its name.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "otg-fragments",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# --- Accounts: the member model and allauth -----------------------------------------------------
AUTH_USER_MODEL = "members.Member"
# One backend: allauth's (it extends ModelBackend, so permissions and the admin work). Two backends
# hashed every wrong password twice.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[One Team Gov Sverige] "
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"
# Its mail to a member comes in the member's language, not the page's (members/adapter.py).
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
# The same forms with the portal's wording (labels, password rules, the principles link in its label).
ACCOUNT_FORMS = {
    "login": "members.account_forms.LoginForm",
    "signup": "members.account_forms.SignupForm",
    "add_email": "members.account_forms.AddEmailForm",
    "reset_password": "members.account_forms.ResetPasswordForm",
    "request_login_code": "members.account_forms.RequestLoginCodeForm",
    "change_password": "members.account_forms.ChangePasswordForm",
    "set_password": "members.account_forms.SetPasswordForm",
    "reset_password_from_key": "members.account_forms.ResetPasswordKeyForm",
}
# Per client address and per account (docs/security.md, "Limits"). allauth merges these over its
# defaults; every entry is written out so that this is the whole list.
# - login_failed counts wrong passwords (keyed by the address typed) and wrong second-factor codes
#   (keyed by the member, reached only past the password or a mailed code). One attacker's address is
#   refused long before an account's limit; many addresses together lock only the password, and only
#   for a while: the member still signs in by a code sent to their mailbox, or resets the password,
#   which clears the count.
# - The mails that carry a code or a link are limited per address and per recipient within a minute:
#   the recipient's limit stops a mailbox being flooded, and lasts a minute, so no stranger keeps a
#   member from asking for a code or a reset without mailing them every minute.
# - A mailed sign-in code allows three tries (ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS), then a new one is needed.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,100/h/ip,20/h/key,50/d/key",
    "login": "30/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/m/user,30/h/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Within five minutes of signing in (or of giving the password again) no page asks for it again; the
# sign-in counts (members.adapter.AccountAdapter.is_reauthentication_required).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Second-factor secrets are encrypted at rest (members/mfa_adapter.py) with Fernet keys from the
# environment, the first encrypting, every one decrypting (a new key goes first). Development and the
# tests derive one from SECRET_KEY; anywhere else the keys must be set.
MFA_ADAPTER = "members.mfa_adapter.MFAAdapter"
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[])
if not MFA_ENCRYPTION_KEYS and DEVELOPMENT:
    from otg.configuration import development_key

    MFA_ENCRYPTION_KEYS = [development_key(SECRET_KEY)]
elif not MFA_ENCRYPTION_KEYS:
    from otg.configuration import NotConfigured

    raise NotConfigured(
        'MFA_ENCRYPTION_KEYS is not set: set it to a key from python -c "from cryptography.fernet import '
        'Fernet; print(Fernet.generate_key().decode())" (second-factor secrets are encrypted with it).'
    )
MFA_TOTP_ISSUER = "One Team Gov Sverige"
# Recovery codes are shown once, right after the authenticator app is activated, with a download of
# them on that page (templates/mfa/recovery_codes/index.html); new ones can be made later.
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_RECOVERY_CODE_COUNT = 10
# A code lasts 30 seconds; the one of the window before is accepted too, so a code typed as it changes
# still works (17 s between loading the page and submitting failed one time in four).
MFA_TOTP_PERIOD = 30
MFA_TOTP_TOLERANCE = 1
# The version of the principles and code of conduct a member accepts at sign-up (stored with the time).
PRINCIPLES_VERSION = "2026-11"

# --- Internationalisation: Swedish first, English second ----------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# One date format per language (otg/formats/<lang>/formats.py): "11 december 2026 kl. 17.30".
FORMAT_MODULE_PATH = ["otg.formats"]

# --- Static files and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Behind nginx, the internal location the proxy sends media from once the portal has said who may
# have them ("/_media/"): the portal answers /media/ with X-Accel-Redirect there. Empty: Django serves.
MEDIA_ACCEL_REDIRECT = env("MEDIA_ACCEL_REDIRECT", default="")
# Uploaded media: on disk under MEDIA_ROOT, or on S3-compatible storage with django-storages, e.g.
# MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage and MEDIA_STORAGE_OPTIONS='{"bucket_name": "otg"}'
# (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; docs/deploy.md).
STORAGES = {
    "default": {
        "BACKEND": env("MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email: every message is a background job; the worker delivers it (otg/jobs/mail.py) ------------
# EMAIL_BACKEND queues; EMAIL_DELIVERY_BACKEND is what the job hands the message to: SMTP by EMAIL_URL
# in production, files under var/mail/ without it.
if env("EMAIL_URL", default=""):
    _smtp = env.email_url("EMAIL_URL")
    vars().update(_smtp)
    EMAIL_DELIVERY_BACKEND = _smtp["EMAIL_BACKEND"]
else:
    EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail")))
EMAIL_BACKEND = "otg.jobs.mail.QueueBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="One Team Gov Sverige <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Error reports go straight to EMAIL_DELIVERY_BACKEND, never through the queue, and give up quickly:
# with the database down a queued report would fail too, and every page would wait for it.
ADMINS = [("Admin", a) for a in env.list("DJANGO_ADMINS", default=[])]
ADMIN_EMAIL_TIMEOUT = env.int("ADMIN_EMAIL_TIMEOUT", default=3)
# At most this many error mails per window (seconds) from one process; the rest only reach the log.
ERROR_MAIL_LIMIT = env.int("ERROR_MAIL_LIMIT", default=10)
ERROR_MAIL_WINDOW = env.int("ERROR_MAIL_WINDOW", default=600)

# --- Background jobs: Procrastinate on this same PostgreSQL (otg/jobs/) ---------------------------
# `manage.py procrastinate worker` runs them; tasks live in each app's tasks.py (otg.jobs's too), which
# Procrastinate imports when the apps are ready.
# A worker's heartbeat; a worker silent for three beats is dead and its jobs are run again.
JOBS_HEARTBEAT_SECONDS = env.int("JOBS_HEARTBEAT_SECONDS", default=10)
# Jobs one worker runs at once, each in a thread: a mail job waits on eight round trips (four to
# PostgreSQL, four to the SMTP server) for a few ms of CPU, so more jobs in flight hide the waits.
PROCRASTINATE_WORKER_DEFAULTS = {
    "concurrency": env.int("JOBS_CONCURRENCY", default=8),
    "update_heartbeat_interval": JOBS_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": 3 * JOBS_HEARTBEAT_SECONDS,
}
# Days a finished job (and so a delivered mail's addresses and text) is kept; failed ones stay.
JOBS_KEEP_DAYS = env.int("JOBS_KEEP_DAYS", default=7)
# Run each job at once, in the process that queues it. Only the tests set it, per test.
JOBS_INLINE = False

# --- Security: headers, cookies, Content Security Policy ----------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# --- Logging: to the console, where gunicorn and the process manager collect it ----------------
# Errors also go to ADMINS (when set), straight to SMTP and at most ERROR_MAIL_LIMIT per window. A
# request with a Host header the portal does not serve is refused with 400 and never mailed.
_log_level = env("DJANGO_LOG_LEVEL", default="WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "require_debug_true": {"()": "django.utils.log.RequireDebugTrue"},
        "error_mail_limit": {"()": "otg.common.error_mail.ErrorMailLimit"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "level": _log_level},
        # runserver's request lines, in development only
        "requests": {"class": "logging.StreamHandler", "filters": ["require_debug_true"]},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false", "error_mail_limit"],
            "class": "otg.common.error_mail.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": _log_level},
    "loggers": {
        # Replaces Django's own "django" logger, whose mail handler would send through the queue.
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["requests"], "level": "INFO", "propagate": False},
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}

# --- The portal's own settings ------------------------------------------------------------------
# Each app's demo content, loaded in this order by `manage.py load_demo` (idempotent).
DEMO_LOADERS = ["members.demo.load", "events.demo.load", "interviews.demo.load"]
# Where members and visitors write with questions: shown in the footer, the accessibility statement and on
# the account pages where allauth says "contact us".
CONTACT_EMAIL = env("CONTACT_EMAIL", default="kontakt@oneteamgov.se")
# Events: how long before the start confirmed attendees see the online link; how many days after an
# event its attendees' stated needs are erased (erase_event_needs); how long an RSVP waits for a lock;
# how many events a member may propose, and messages a host may send per event, in 24 hours.
EVENT_ONLINE_LINK_LEAD = timedelta(minutes=env.int("EVENT_ONLINE_LINK_LEAD_MINUTES", default=60))
EVENT_NEEDS_RETENTION_DAYS = env.int("EVENT_NEEDS_RETENTION_DAYS", default=30)
EVENT_LOCK_TIMEOUT_MS = env.int("EVENT_LOCK_TIMEOUT_MS", default=3000)
EVENT_PROPOSALS_PER_DAY = env.int("EVENT_PROPOSALS_PER_DAY", default=3)
EVENT_MESSAGES_PER_DAY = env.int("EVENT_MESSAGES_PER_DAY", default=3)
# A co-host invitation can be accepted for this many days; a host may send this many per event in 24 hours.
COHOST_INVITE_VALID = timedelta(days=env.int("COHOST_INVITE_DAYS", default=14))
COHOST_INVITES_PER_DAY = env.int("COHOST_INVITES_PER_DAY", default=5)
# Reports of events one member may send in 24 hours (each mails every staff member).
EVENT_REPORTS_PER_DAY = env.int("EVENT_REPORTS_PER_DAY", default=5)
# One tag vocabulary for members, events and interviews: "Klarspråk" and "klarspråk" are the same tag.
TAGGIT_CASE_INSENSITIVE = True
