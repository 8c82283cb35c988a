"""Settings for zhibu. Every value comes from the environment with a safe default."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("ZHIBU_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("ZHIBU_VAR_DIR", PROJECT_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else default


def database_from_url(url: str) -> dict:
    """Turn DATABASE_URL (sqlite:///path or postgres://user@host:port/name) into a Django DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/file or sqlite:////absolute/file
        name = unquote(parsed.path[1:]) or str(VAR_DIR / "zhibu.sqlite3")
        if name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("ZHIBU_DB_CONN_MAX_AGE", 60),
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"DATABASE_URL 不支持的数据库类型：{parsed.scheme}")


DEFAULT_SECRET_KEY = "zhibu-insecure-development-key-do-not-use-in-production"
PRODUCTION = env_str("ZHIBU_ENV", "development") == "production"
DEBUG = env_bool("ZHIBU_DEBUG", False)
SECRET_KEY = env_str("ZHIBU_SECRET_KEY", DEFAULT_SECRET_KEY)
# Key for personal data at rest (公民身份号码, 联系电话). Separate from SECRET_KEY so it can be rotated apart.
DATA_KEY = env_str("ZHIBU_DATA_KEY", "zhibu-insecure-development-data-key")
# Rotation: the new key encrypts; the old ones (comma-separated) still decrypt until `zhibu rotate-key` is done,
# and still open backups written before the rotation.
DATA_KEYS_OLD = env_list("ZHIBU_DATA_KEY_OLD", [])
KEY_MIN_LENGTH = 32

ALLOWED_HOSTS = env_list("ZHIBU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ZHIBU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "zhibu.core",
    "zhibu.accounts",
    "zhibu.audit",
    "zhibu.orgs",
    "zhibu.people",
    "zhibu.records",
    "zhibu.rules",
    "zhibu.study",
    "zhibu.work",
    "zhibu.reports",
    "zhibu.appraisal",
    "zhibu.development",
    "zhibu.dues",
    "zhibu.membership",
    "zhibu.ledger",
    "zhibu.notices",
    "zhibu.home",
    "zhibu.jobs",
]

MIDDLEWARE = [
    "zhibu.core.middleware.NoSystemWorkMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "zhibu.core.middleware.RequestLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhibu.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhibu.core.middleware.RequestContextMiddleware",
    "zhibu.core.middleware.SessionIdleMiddleware",
    "zhibu.accounts.middleware.AccountPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "zhibu.urls"
WSGI_APPLICATION = "zhibu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhibu.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhibu.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["zhibu.accounts.backends.UsernameOrPhoneBackend"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhibu.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "zhibu.accounts.validators.NotFromUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhibu.accounts.validators.HistoryValidator", "OPTIONS": {"count": 5}},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
TOKEN_DAYS = env_int("ZHIBU_TOKEN_DAYS", 90)  # an API token expires after this many days
# Failed logins: after LOGIN_MAX_FAILURES for one account (whatever name or phone was typed) the account is
# delayed, not locked: LOGIN_DELAY_SECONDS doubling with each further failure up to LOGIN_DELAY_MAX_SECONDS.
# One address gets LOGIN_IP_MAX_FAILURES before it is delayed the same way (up to an hour).
LOGIN_MAX_FAILURES = env_int("ZHIBU_LOGIN_MAX_FAILURES", 5)
LOGIN_IP_MAX_FAILURES = env_int("ZHIBU_LOGIN_IP_MAX_FAILURES", 20)
LOGIN_WINDOW_MINUTES = env_int("ZHIBU_LOGIN_WINDOW_MINUTES", 15)
LOGIN_DELAY_SECONDS = env_int("ZHIBU_LOGIN_DELAY_SECONDS", 60)
LOGIN_DELAY_MAX_SECONDS = env_int("ZHIBU_LOGIN_DELAY_MAX_SECONDS", 15 * 60)
LOGIN_IP_DELAY_MAX_SECONDS = env_int("ZHIBU_LOGIN_IP_DELAY_MAX_SECONDS", 60 * 60)
# 0: passwords do not expire; otherwise the user must change the password after this many days.
PASSWORD_DAYS = env_int("ZHIBU_PASSWORD_DAYS", 0)
# A session ends after SESSION_COOKIE_AGE idle seconds, and in any case this long after the login.
SESSION_ABSOLUTE_SECONDS = env_int("ZHIBU_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_str("ZHIBU_STATIC_ROOT", str(VAR_DIR / "static"))
# Static files are served by the app (WhiteNoise): `zhibu serve` collects them into STATIC_ROOT with hashed,
# compressed copies (ZHIBU_STATIC_MANIFEST=true, cached for a year); the development server, the demo and the
# tests read them straight from the installed apps and need no collectstatic.
STATIC_MANIFEST = env_bool("ZHIBU_STATIC_MANIFEST", False)
STORAGES = {
    # Uploads are readable by the server's user only (core.filestore also encrypts them); static files are not.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
WHITENOISE_MAX_AGE = 31536000 if STATIC_MANIFEST else 60
MEDIA_ROOT = env_str("ZHIBU_MEDIA_ROOT", str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env_int("ZHIBU_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# Imports (every roster, study, dues and work file): checked before anything is parsed or written.
IMPORT_MAX_BYTES = env_int("ZHIBU_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED = env_int("ZHIBU_IMPORT_MAX_UNCOMPRESSED", 60 * 1024 * 1024)
IMPORT_MAX_RATIO = env_int("ZHIBU_IMPORT_MAX_RATIO", 120)
IMPORT_MAX_STRING = env_int("ZHIBU_IMPORT_MAX_STRING", 32767)  # Excel's own limit for one cell
IMPORT_MAX_ROWS = env_int("ZHIBU_IMPORT_MAX_ROWS", 120_000)  # blank rows count too
IMPORT_MAX_COLUMNS = env_int("ZHIBU_IMPORT_MAX_COLUMNS", 200)
# Uploaded images: Pillow refuses anything larger (its decompression-bomb check).
UPLOAD_MAX_IMAGE_PIXELS = env_int("ZHIBU_UPLOAD_MAX_IMAGE_PIXELS", 50_000_000)

# Sessions end after 30 idle minutes by default. A session is saved (and its expiry renewed) at most once every
# SESSION_TOUCH_SECONDS, not on every request (core.middleware.SessionIdleMiddleware): the idle timeout holds to
# within that much, and a page costs no database write.
SESSION_COOKIE_AGE = env_int("ZHIBU_SESSION_SECONDS", 30 * 60)
SESSION_TOUCH_SECONDS = env_int("ZHIBU_SESSION_TOUCH_SECONDS", 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "zhibu.core.errors.csrf_failure"
CSRF_COOKIE_SAMESITE = "Lax"
# Secure cookies are on unless switched off for plain-http use on loopback (the demo does).
SESSION_COOKIE_SECURE = env_bool("ZHIBU_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("ZHIBU_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("ZHIBU_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("ZHIBU_BEHIND_PROXY") else None
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZHIBU_HSTS_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("ZHIBU_HSTS_PRELOAD", PRODUCTION)


def production_problems() -> list[str]:
    """What production refuses, one Chinese line each (the `zhibu` command prints them, exit 2)."""
    problems = []
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < KEY_MIN_LENGTH:
        problems.append(
            f"生产环境必须设置 ZHIBU_SECRET_KEY，至少 {KEY_MIN_LENGTH} 个字符，不能使用默认密钥。"
        )
    for name, key in [("ZHIBU_DATA_KEY", DATA_KEY)] + [("ZHIBU_DATA_KEY_OLD", old) for old in DATA_KEYS_OLD]:
        if key.startswith("zhibu-insecure") or len(key) < KEY_MIN_LENGTH:
            problems.append(f"生产环境必须设置 {name}，至少 {KEY_MIN_LENGTH} 个字符，不能使用默认密钥。")
    if DEBUG:
        problems.append("生产环境不能开启调试模式（ZHIBU_DEBUG）。")
    if not (SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE):
        problems.append("生产环境的 Cookie 必须只经 HTTPS 发送（不能设置 ZHIBU_COOKIE_SECURE=0）。")
    if not os.environ.get("ZHIBU_ALLOWED_HOSTS"):
        problems.append("生产环境必须设置 ZHIBU_ALLOWED_HOSTS（本系统的域名，逗号分隔）。")
    return problems


if PRODUCTION and production_problems():
    raise ImproperlyConfigured("\n".join(production_problems()))

# Background work (django-tasks): the database queue by default, needing no other server; ZHIBU_TASKS=redis
# puts it on Redis (ZHIBU_REDIS_URL) through RQ. Either way the worker is `zhibu worker`. ZHIBU_TASKS=immediate
# runs tasks inside the caller, dummy only records them (tests).
TASKS_MODE = env_str("ZHIBU_TASKS", "database")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
if TASKS_MODE not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"ZHIBU_TASKS 只能是 {'、'.join(TASK_BACKENDS)}，收到：{TASKS_MODE}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_MODE], "QUEUES": ["default"]}}
REDIS_URL = env_str("ZHIBU_REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_MODE == "redis":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("ZHIBU_TASK_TIMEOUT", 3600)}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_HOST = env_str("ZHIBU_SMTP_HOST", "")
EMAIL_PORT = env_int("ZHIBU_SMTP_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("ZHIBU_MAIL_FROM", "zhibu@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ZHIBU_LOG_LEVEL", "WARNING")},
    # One line a request (method, path without the query, status, milliseconds): RequestLogMiddleware.
    "loggers": {"zhibu.requests": {"level": env_str("ZHIBU_REQUEST_LOG_LEVEL", "INFO")}},
}
