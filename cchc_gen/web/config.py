"""Django configured from code for the data folder it serves: no project folder, no settings module.

Everything the workspace keeps of its own is in ``<data>/.cchc-web/``: the SQLite store (unless
``CCHC_DATABASE_URL`` names a PostgreSQL database), the secret key that signs the session cookies (unless
``CCHC_SECRET_KEY`` gives one), and the cache of converted PDFs and preview pages.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_FOLDER = ".cchc-web"
DATABASE_FILE = "kho.sqlite3"
SECRET_FILE = "khoa-bi-mat"
# A request body (a form, an uploaded workbook or picture) larger than this is refused with a message.
UPLOAD_LIMIT = 12 * 1024 * 1024
SESSION_HOURS = 10


@dataclass(frozen=True)
class WebOptions:
    """How the workspace runs: the data folder, the database, and whether it is reached over HTTPS."""

    data_dir: Path
    database_url: str | None = None
    # Behind a reverse proxy that speaks HTTPS: cookies are sent over HTTPS only, and the proxy's
    # X-Forwarded-Proto says the request came that way.
    https: bool = False
    allowed_hosts: list[str] = field(default_factory=lambda: ["*"])
    trusted_origins: list[str] = field(default_factory=list)
    upload_limit: int = UPLOAD_LIMIT

    @classmethod
    def from_environment(cls, data_dir: Path, https: bool = False) -> WebOptions:
        """Options for ``data_dir`` with what the environment sets (``CCHC_DATABASE_URL``,
        ``CCHC_ALLOWED_HOSTS`` and ``CCHC_TRUSTED_ORIGINS``, comma-separated; ``CCHC_HTTPS=1``)."""
        hosts = [h.strip() for h in os.environ.get("CCHC_ALLOWED_HOSTS", "*").split(",") if h.strip()]
        origins = [o.strip() for o in os.environ.get("CCHC_TRUSTED_ORIGINS", "").split(",") if o.strip()]
        return cls(
            data_dir=data_dir.resolve(),
            database_url=os.environ.get("CCHC_DATABASE_URL") or None,
            https=https or os.environ.get("CCHC_HTTPS") == "1",
            allowed_hosts=hosts,
            trusted_origins=origins,
        )

    @property
    def state_dir(self) -> Path:
        return self.data_dir / STATE_FOLDER


def _secret_key(state_dir: Path) -> str:
    if key := os.environ.get("CCHC_SECRET_KEY"):
        return key
    file = state_dir / SECRET_FILE
    if not file.is_file():
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(secrets.token_urlsafe(50))
    return file.read_text(encoding="ascii").strip()


def _database(options: WebOptions) -> dict[str, Any]:
    if options.database_url:
        import dj_database_url

        return dict(dj_database_url.parse(options.database_url, conn_max_age=60, conn_health_checks=True))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(options.state_dir / DATABASE_FILE),
        "OPTIONS": {
            # Writers queue for the lock instead of failing; IMMEDIATE takes it at the transaction's start,
            # so that two saves never deadlock upgrading a read lock.
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def settings_for(options: WebOptions) -> dict[str, Any]:
    """Django's settings for the workspace."""
    options.state_dir.mkdir(parents=True, exist_ok=True)
    here = Path(__file__).resolve().parent
    return {
        "DEBUG": False,
        "SECRET_KEY": _secret_key(options.state_dir),
        "ALLOWED_HOSTS": options.allowed_hosts,
        "CSRF_TRUSTED_ORIGINS": options.trusted_origins,
        "INSTALLED_APPS": [
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.messages",
            "cchc_gen.web.apps.WorkspaceConfig",
        ],
        "MIDDLEWARE": [
            "django.middleware.security.SecurityMiddleware",
            "cchc_gen.web.middleware.RequestLimits",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "cchc_gen.web.password.ChangeRequired",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
            "cchc_gen.web.middleware.PrivatePages",
        ],
        "ROOT_URLCONF": "cchc_gen.web.urls",
        "TEMPLATES": [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [],
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.template.context_processors.csrf",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                        "cchc_gen.web.access.role_context",
                    ]
                },
            }
        ],
        "DATABASES": {"default": _database(options)},
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "PASSWORD_HASHERS": [
            "django.contrib.auth.hashers.Argon2PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ],
        "AUTH_PASSWORD_VALIDATORS": [
            {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        ],
        # Sessions live in a signed cookie: nothing to keep on the server, and nothing a browser can forge.
        "SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": options.https,
        "SESSION_COOKIE_AGE": SESSION_HOURS * 3600,
        "SESSION_COOKIE_NAME": "cchc_phien",
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": options.https,
        "CSRF_FAILURE_VIEW": "cchc_gen.web.views.csrf_failure",
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https") if options.https else None,
        "USE_X_FORWARDED_HOST": options.https,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "SAMEORIGIN",
        "MESSAGE_STORAGE": "django.contrib.messages.storage.cookie.CookieStorage",
        "LOGIN_URL": "/dang-nhap/",
        "LANGUAGE_CODE": "vi",
        "USE_I18N": True,
        "TIME_ZONE": "Asia/Ho_Chi_Minh",
        "USE_TZ": True,
        "STATIC_URL": "/tep/",
        "CCHC_STATIC_DIR": str(here / "static"),
        "CCHC_DATA_DIR": str(options.data_dir),
        "CCHC_STATE_DIR": str(options.state_dir),
        "CCHC_UPLOAD_LIMIT": options.upload_limit,
        # Django's own limits sit above ours: ours answers with a page in Vietnamese first.
        "DATA_UPLOAD_MAX_MEMORY_SIZE": options.upload_limit + 1024 * 1024,
        "FILE_UPLOAD_MAX_MEMORY_SIZE": 2 * 1024 * 1024,
        "DATA_UPLOAD_MAX_NUMBER_FIELDS": 20000,
        "LOGGING": {
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {"console": {"class": "logging.StreamHandler"}},
            "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
        },
    }


def configure(options: WebOptions) -> None:
    """Set Django up for ``options``. Django is set up once per process: asking again for the same data
    folder does nothing, for another one is refused (its store would be the first one's)."""
    import django
    from django.conf import settings

    if settings.configured:
        if Path(settings.CCHC_DATA_DIR) != options.data_dir:
            raise RuntimeError(
                f"the web workspace is already set up for {settings.CCHC_DATA_DIR} in this process"
            )
        return
    settings.configure(**settings_for(options))
    django.setup()


def data_dir() -> Path:
    from django.conf import settings

    return Path(settings.CCHC_DATA_DIR)


def state_dir() -> Path:
    from django.conf import settings

    return Path(settings.CCHC_STATE_DIR)
