"""Settings read from the environment (and `.env`), validated into one frozen object.

Every problem is reported as a `ConfigError` whose message is one sentence saying what to set
and where; the entry point prints it and exits with code 2.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.fernet import Fernet
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from bot.proxies import Networks, parse_networks

DEFAULT_DATABASE_URL = "sqlite:///intervisie.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
# A metrics token shorter than this is too easy to guess on a public port.
MIN_METRICS_TOKEN = 16


class ConfigError(Exception):
    """A setting is missing or malformed; the message tells the user what to set."""


# The bot scopes of manifest.yml: what a workspace grants when it installs the app (a test
# keeps the two lists equal).
DEFAULT_SCOPES = (
    "commands",
    "chat:write",
    "users:read",
    "channels:read",
    "groups:read",
    "pins:write",
    "files:write",
    "im:write",
    "channels:history",
    "groups:history",
    "im:history",
)


@dataclass(frozen=True)
class Settings:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    port: int
    database_url: str
    slack_api_url: str
    log_level: str
    run_scheduler: bool
    time_scale: float = 1.0
    # Keep Slack's rate limits on our side (off only against a fake Slack that has none).
    slack_pacing: bool = True
    encryption_keys: tuple[str, ...] = ()
    encryption_key_file: str | None = None
    support_email: str | None = None  # the contact address the privacy page gives
    # Where people reach the bot's pages (https://host, no trailing slash): a proof names its
    # verification page there. None: proofs point to /intervisie verify instead.
    public_url: str | None = None
    # Many workspaces ("Add to Slack"): the app's OAuth credentials instead of a bot token.
    client_id: str | None = None
    client_secret: str | None = None
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    # The reverse proxies in front of the bot, whose forwarding headers name the client.
    trusted_proxies: Networks = ()
    log_format: str = "text"  # or "json": one object per line
    # /metrics: on the HTTP port for whoever holds the token, and on a port of its own (bound
    # to 127.0.0.1 unless a token is set). Neither: no metrics.
    metrics_token: str | None = None
    metrics_port: int | None = None
    # Seconds a stopping process keeps answering (its /readyz says 503) at the least, so a load
    # balancer takes it out of rotation before its port closes.
    stop_grace: float = 0.0
    # Conversation reads (to find a message whose answer was lost) a minute per workspace: 1
    # for an app outside Slack's Marketplace; an internal or Marketplace app may take 50.
    looks_per_minute: int = 1
    # The app's id (Basic Information): requests that name another app are refused.
    app_id: str | None = None

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    @property
    def many_workspaces(self) -> bool:
        return self.bot_token is None


def _clean(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _token(env: Mapping[str, str], name: str, prefix: str, kind: str) -> str | None:
    value = _clean(env, name)
    if value is not None and not value.startswith(prefix):
        raise ConfigError(
            f"{name} must be the {kind} that starts with '{prefix}' (find it in your Slack app's "
            f"settings), but the value in your environment or .env starts with '{value[:5]}'."
        )
    return value


def normalize_database_url(raw: str) -> str:
    """Return a SQLAlchemy URL, choosing the psycopg 3 driver for plain PostgreSQL URLs."""
    try:
        url: URL = make_url(raw)
    except ArgumentError as exc:
        raise ConfigError(
            "DATABASE_URL is not a database URL; set it in your environment or .env to something "
            "like sqlite:///intervisie.db or postgresql://user:password@host:5432/dbname."
        ) from exc
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            "DATABASE_URL must point to SQLite or PostgreSQL (for example sqlite:///intervisie.db "
            f"or postgresql://host/dbname); '{url.get_backend_name()}' is not supported."
        )
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        raise ConfigError(
            "DATABASE_URL points to an in-memory SQLite database, which would forget every "
            "group at each restart: name a file instead, such as sqlite:///intervisie.db."
        )
    return url.render_as_string(hide_password=False)


def _port(env: Mapping[str, str], name: str = "PORT") -> int | None:
    raw = _clean(env, name)
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise ConfigError(
            f"{name} must be a number between 1 and 65535 in your environment or .env, not '{raw}'."
        )
    return int(raw)


def _metrics_token(env: Mapping[str, str]) -> str | None:
    token = _clean(env, "METRICS_TOKEN")
    if token is not None and (
        len(token) < MIN_METRICS_TOKEN or not token.isprintable() or " " in token
    ):
        raise ConfigError(
            f"METRICS_TOKEN must be at least {MIN_METRICS_TOKEN} characters without spaces in "
            "your environment or .env (generate one with `openssl rand -hex 32`)."
        )
    return token


def _looks_per_minute(env: Mapping[str, str]) -> int:
    raw = _clean(env, "SLACK_LOOKS_PER_MINUTE")
    if raw is None:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= 50:
        raise ConfigError(
            "SLACK_LOOKS_PER_MINUTE must be a number from 1 to 50 in your environment or .env "
            f"(1 unless Slack approved the app for its Marketplace or it is internal), not '{raw}'."
        )
    return int(raw)


def _app_id(env: Mapping[str, str]) -> str | None:
    raw = _clean(env, "SLACK_APP_ID")
    if raw is not None and not re.fullmatch(r"A[A-Z0-9]{2,20}", raw):
        raise ConfigError(
            "SLACK_APP_ID must be your Slack app's App ID from its 'Basic Information' page "
            f"(like A0123ABCDEF) in your environment or .env, not '{raw}'."
        )
    return raw


def _stop_grace(env: Mapping[str, str]) -> float:
    raw = _clean(env, "STOP_GRACE")
    if raw is None:
        return 0.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 60:
        raise ConfigError(
            f"STOP_GRACE must be a number of seconds from 0 to 60 in your environment or .env, "
            f"not '{raw}'."
        )
    return seconds


EMAIL = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]+")


def _support_email(env: Mapping[str, str]) -> str | None:
    raw = _clean(env, "SUPPORT_EMAIL")
    if raw is not None and not EMAIL.fullmatch(raw):
        raise ConfigError(
            "SUPPORT_EMAIL must be one e-mail address, like privacy@example.org, in your "
            "environment or .env; the privacy page gives it as the contact."
        )
    return raw


PUBLIC_URL = re.compile(r"https?://[^\s/?#<>\"']+(/[^\s?#<>\"']*)?")


def _public_url(env: Mapping[str, str]) -> str | None:
    raw = _clean(env, "PUBLIC_URL")
    if raw is not None and not PUBLIC_URL.fullmatch(raw):
        raise ConfigError(
            "PUBLIC_URL must be the address people reach the bot at, like "
            "https://intervisie.example.org, in your environment or .env; proofs of "
            f"participation name their verification page there. Not '{raw[:60]}'."
        )
    return raw.rstrip("/") if raw else None


def _trusted_proxies(env: Mapping[str, str]) -> Networks:
    raw = _clean(env, "TRUSTED_PROXIES") or ""
    try:
        return parse_networks(raw)
    except ValueError as error:
        raise ConfigError(
            "TRUSTED_PROXIES must list the addresses or networks of the proxies in front of the "
            "bot, separated by commas (such as 127.0.0.1 or 10.0.0.0/8), in your environment or "
            f".env; '{str(error)[:60]}' is neither."
        ) from None


def _time_scale(env: Mapping[str, str]) -> float:
    raw = _clean(env, "TIME_SCALE")
    if raw is None:
        return 1.0
    try:
        scale = float(raw)
    except ValueError:
        scale = 0.0
    if not 1 <= scale <= 3600:
        raise ConfigError(
            f"TIME_SCALE must be a number from 1 to 3600 in your environment or .env, not '{raw}'."
        )
    return scale


def _encryption_keys(env: Mapping[str, str], database_url: str) -> tuple[str, ...]:
    """ENCRYPTION_KEY: one Fernet key, or several separated by commas (newest first) to rotate."""
    raw = _clean(env, "ENCRYPTION_KEY")
    if raw is None:
        if make_url(database_url).get_backend_name() == "postgresql":
            raise ConfigError(
                "ENCRYPTION_KEY is not set: with PostgreSQL the key that encrypts cases must be "
                "given explicitly; create one with `python -m bot generate-key` and put it in "
                "your environment or .env."
            )
        return ()
    keys = tuple(part.strip() for part in raw.split(",") if part.strip())
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ConfigError(
                f"ENCRYPTION_KEY key {position} is not a valid key (32 url-safe base64-encoded "
                "bytes); create one with `python -m bot generate-key`."
            ) from None
    return keys


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _clean(env, name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 'true' or 'false' in your environment or .env, not '{raw}'.")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    bot_token = _token(env, "SLACK_BOT_TOKEN", "xoxb-", "bot token")
    app_token = _token(env, "SLACK_APP_TOKEN", "xapp-", "app-level token")
    signing_secret = _clean(env, "SLACK_SIGNING_SECRET")
    client_id, client_secret = _clean(env, "SLACK_CLIENT_ID"), _clean(env, "SLACK_CLIENT_SECRET")
    if bot_token is None:
        _many_workspaces(client_id, client_secret, signing_secret, app_token)
    elif client_id or client_secret:
        raise ConfigError(
            "SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET are both set: keep the bot "
            "token for one workspace, or the client id and secret (without a bot token) to "
            "serve many workspaces, in your environment or .env."
        )
    if app_token is None and signing_secret is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your Slack app's "
            "'Basic Information' page into .env, or set SLACK_APP_TOKEN (xapp-...) to use "
            "Socket Mode."
        )
    log_level = (_clean(env, "LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(
            f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} in your environment or .env, "
            f"not '{log_level}'."
        )
    log_format = (_clean(env, "LOG_FORMAT") or "text").lower()
    if log_format not in LOG_FORMATS:
        raise ConfigError(
            f"LOG_FORMAT must be text or json in your environment or .env, not '{log_format}'."
        )
    api_url = _clean(env, "SLACK_API_URL") or DEFAULT_SLACK_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise ConfigError(
            "SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ in your "
            f"environment or .env, not '{api_url}'."
        )
    database_url = normalize_database_url(_clean(env, "DATABASE_URL") or DEFAULT_DATABASE_URL)
    return Settings(
        bot_token=bot_token,
        signing_secret=signing_secret,
        app_token=app_token,
        port=_port(env) or DEFAULT_PORT,
        database_url=database_url,
        slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
        log_level=log_level,
        run_scheduler=_flag(env, "RUN_SCHEDULER", True),
        time_scale=_time_scale(env),
        slack_pacing=_flag(env, "SLACK_PACING", True),
        encryption_keys=_encryption_keys(env, database_url),
        encryption_key_file=_clean(env, "ENCRYPTION_KEY_FILE"),
        support_email=_support_email(env),
        public_url=_public_url(env),
        client_id=client_id,
        client_secret=client_secret,
        scopes=_scopes(env),
        trusted_proxies=_trusted_proxies(env),
        log_format=log_format,
        metrics_token=_metrics_token(env),
        metrics_port=_port(env, "METRICS_PORT"),
        stop_grace=_stop_grace(env),
        looks_per_minute=_looks_per_minute(env),
        app_id=_app_id(env),
    )


def _many_workspaces(
    client_id: str | None, client_secret: str | None, signing_secret: str | None, app: str | None
) -> None:
    """Without a bot token the bot serves every workspace that installs it: that takes the
    app's client id, client secret and signing secret, over HTTP."""
    if client_id is None and client_secret is None:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your Slack "
            "app's 'OAuth & Permissions' page into .env (see .env.example), or set "
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to serve many workspaces."
        )
    missing = [
        name
        for name, value in (
            ("SLACK_CLIENT_ID", client_id),
            ("SLACK_CLIENT_SECRET", client_secret),
            ("SLACK_SIGNING_SECRET", signing_secret),
        )
        if value is None
    ]
    if missing:
        raise ConfigError(
            f"{' and '.join(missing)} must be set to serve many workspaces: copy "
            f"{'them' if len(missing) > 1 else 'it'} from your Slack app's 'Basic Information' "
            "page into your environment or .env."
        )
    if app is not None:
        raise ConfigError(
            "SLACK_APP_TOKEN is set, but an app that many workspaces install runs over HTTP, "
            "not Socket Mode (the Slack Marketplace does not allow it): remove SLACK_APP_TOKEN "
            "from your environment or .env."
        )


SCOPE = re.compile(r"[a-z]+(?:[.:][a-z_]+)*")


def _scopes(env: Mapping[str, str]) -> tuple[str, ...]:
    raw = _clean(env, "SLACK_SCOPES")
    if raw is None:
        return DEFAULT_SCOPES
    scopes = tuple(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    wrong = [scope for scope in scopes if not SCOPE.fullmatch(scope)]
    if wrong or not scopes:
        raise ConfigError(
            "SLACK_SCOPES must be bot scopes separated by commas, like chat:write,commands, in "
            f"your environment or .env, not '{raw}'."
        )
    return scopes
