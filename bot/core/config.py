"""Typed settings, loaded once from the environment, `.env` and `config.toml`."""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.paths import CONTENT_DIR
from bot.core.sanitize import clean_line

LANGUAGES = ("vi", "en")
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# How long after a citizen's last message the bot writes to them on a Zalo
# Official Account: 48 hours are free, up to 7 days are charged, after that
# Zalo refuses (-230); `never`: the bot never holds a message back itself.
SEND_WINDOWS: dict[str, timedelta | None] = {
    "48h": timedelta(hours=48),
    "7d": timedelta(days=7),
    "never": None,
}


class ConfigError(Exception):
    """A setting is missing or wrong; the message names it and says what is wrong."""

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"{setting}: {problem}")
        self.setting = setting
        self.problem = problem


@dataclass(frozen=True)
class Village:
    """A village (thôn): the unit a citizen belongs to and audiences are chosen by."""

    id: str
    name: str
    households: int | None = None  # for household decisions: more than half must agree


@dataclass(frozen=True)
class Topic:
    """An outreach topic citizens can follow, named in each language."""

    id: str
    names: Mapping[str, str]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["vi"]


@dataclass(frozen=True)
class WebhookSettings:
    """Where Telegram posts updates; polling is used when `url` is empty."""

    url: str | None = None
    listen: str = "0.0.0.0"
    port: int = 8443
    secret_token: str | None = None


@dataclass(frozen=True)
class ZaloOASettings:
    """A Zalo Official Account: its developer app, webhook and first refresh token."""

    app_id: str
    app_secret: str
    secret_key: str  # the OA secret key that signs webhook calls
    api_url: str = "https://openapi.zalo.me"
    oauth_url: str = "https://oauth.zaloapp.com"
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8444
    webhook_path: str = "/zalo/oa"
    refresh_token: str | None = None  # bootstraps the pair while the database holds none
    # A broadcast also published as an OA article and sent to all the OA's
    # followers, at most `article_quota` a month (Zalo's own broadcast quota).
    publish_articles: bool = False
    article_quota: int = 4
    article_cover_url: str | None = None  # an article needs a cover photo by public URL


@dataclass(frozen=True)
class ZaloBotSettings:
    """The Zalo Bot channel (Zalo Bot Creator's bot); off when `token` is empty.

    `api_url` is the bare root: the bot appends `/bot<TOKEN>/<method>`. With
    `webhook_url` set, Zalo posts updates to `webhook_port` (behind the
    reverse proxy that serves that URL), else the bot polls getUpdates.
    """

    token: str | None = None
    api_url: str = "https://bot-api.zaloplatforms.com"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_port: int = 8445  # the OA's is 8444


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its configuration, validated."""

    bot_token: str | None = None
    bot_api_url: str = "https://api.telegram.org"
    database_path: Path = Path("data/danvan.db")
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    default_language: str = "vi"
    commune_name: str = "Tân Việt"
    villages: tuple[Village, ...] = ()
    topics: tuple[Topic, ...] = ()
    officers_chat_id: int | None = None
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    log_level: str = "INFO"
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = 8080
    zalo_oa: ZaloOASettings | None = None  # the OA channel runs when set
    zalo_oa_send_window: timedelta | None = SEND_WINDOWS["48h"]
    zalo_bot: ZaloBotSettings = field(default_factory=ZaloBotSettings)
    # Tables of config.toml such as [cases] or [broadcast]: each feature reads
    # and validates its own section, so features never edit each other's code.
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def section(self, name: str) -> Mapping[str, Any]:
        return self.sections.get(name, {})

    def village(self, village_id: str | None) -> Village | None:
        return next((v for v in self.villages if v.id == village_id), None)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)


# Every setting: environment name -> (toml key, description). The README table
# and .env.example are written from the same list, so keep them in step.
SETTINGS_DOC: dict[str, str] = {
    "BOT_TOKEN": "Token from @BotFather; empty starts the local sandbox",
    "BOT_API_URL": "Root of the Bot API server",
    "DATABASE_URL": "SQLite database, sqlite:///relative/path or sqlite:////absolute/path",
    "TIMEZONE": "The commune's time zone (IANA name)",
    "DEFAULT_LANGUAGE": "Language before a citizen chooses one: vi or en",
    "COMMUNE_NAME": "The commune's name as shown to citizens",
    "OFFICERS_CHAT_ID": "Optional Telegram group where officers get notifications",
    "WEBHOOK_URL": "Public HTTPS URL for webhook mode; empty means long polling",
    "WEBHOOK_LISTEN": "Address the webhook server binds to",
    "WEBHOOK_PORT": "Port the webhook server binds to",
    "WEBHOOK_SECRET": "Secret token Telegram sends with every webhook call; empty: made at start",
    "LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR",
    "SANDBOX_HOST": "Address of the local sandbox (no token)",
    "SANDBOX_PORT": "Port of the local sandbox web chat",
    "ZALO_OA_APP_ID": "Zalo developer app id of the Official Account; empty: no OA channel",
    "ZALO_OA_APP_SECRET": "That app's secret key (OAuth token calls)",
    "ZALO_OA_SECRET_KEY": "The OA secret key Zalo signs webhook calls with",
    "ZALO_OA_API_URL": "Root of the OA Open API (scheme, host and port only)",
    "ZALO_OAUTH_URL": "Root of Zalo's OAuth server (scheme, host and port only)",
    "ZALO_OA_WEBHOOK_LISTEN": "Address the OA webhook server binds to",
    "ZALO_OA_WEBHOOK_PORT": "Port the OA webhook server binds to",
    "ZALO_OA_WEBHOOK_PATH": "Path Zalo posts the OA's events to",
    "ZALO_OA_REFRESH_TOKEN": "First refresh token, used only while the database holds no pair",
    "ZALO_OA_SEND_WINDOW": "Zalo OA: write to a citizen within 48h (free), 7d (charged) or never hold back",
    "ZALO_OA_PUBLISH_ARTICLES": "1: each broadcast also becomes an OA article sent to all followers",
    "ZALO_OA_ARTICLE_QUOTA": "OA article broadcasts a month at most (the OA package's quota)",
    "ZALO_OA_ARTICLE_COVER_URL": "Public https URL of the articles' cover photo (needed to publish)",
    "ZALO_BOT_TOKEN": "Token of a Zalo Bot (Zalo Bot Creator); empty: no Zalo Bot channel",
    "ZALO_BOT_API_URL": "Root of the Zalo Bot API (the bot appends /bot<TOKEN>/<method>)",
    "ZALO_BOT_WEBHOOK_URL": "Public HTTPS URL Zalo posts the bot's updates to; empty: polling",
    "ZALO_BOT_WEBHOOK_SECRET": "Secret Zalo sends with every webhook call; empty: made at start",
    "ZALO_BOT_WEBHOOK_PORT": "Local port of the Zalo Bot webhook (WEBHOOK_LISTEN's address)",
}


def load_settings(
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
    dotenv_path: Path = Path(".env"),
) -> Settings:
    """Merge defaults, config.toml, .env and the environment (later wins) and validate."""
    env = dict(os.environ if environ is None else environ)
    if config_path is None:
        config_path = Path(env.get("DANVAN_CONFIG", "config.toml"))
    values: dict[str, Any] = _read_toml(CONTENT_DIR / "commune.toml", "commune.toml")
    if config_path.exists():
        values.update(_read_toml(config_path, "DANVAN_CONFIG"))
    sections = {k: v for k, v in values.items() if isinstance(v, dict)}
    flat = {
        k.upper(): v
        for k, v in values.items()
        if k not in ("villages", "topics") and not isinstance(v, dict)
    }
    flat.update(_read_dotenv(dotenv_path))
    flat.update({k: v for k, v in env.items() if k in SETTINGS_DOC})
    unknown = sorted(set(flat) - set(SETTINGS_DOC))
    if unknown:
        raise ConfigError(unknown[0], f"unknown setting in {config_path}")

    def get(key: str) -> str:
        return _text(flat.get(key))

    return Settings(
        bot_token=_token(get("BOT_TOKEN")),
        bot_api_url=_url("BOT_API_URL", get("BOT_API_URL") or "https://api.telegram.org"),
        database_path=_database_path(get("DATABASE_URL") or "sqlite:///data/danvan.db"),
        timezone=_timezone(get("TIMEZONE") or "Asia/Ho_Chi_Minh"),
        default_language=_choice("DEFAULT_LANGUAGE", get("DEFAULT_LANGUAGE") or "vi", LANGUAGES),
        commune_name=nfc(get("COMMUNE_NAME") or "Tân Việt"),
        villages=_villages(values.get("villages", [])),
        topics=_topics(values.get("topics", [])),
        officers_chat_id=_optional_int("OFFICERS_CHAT_ID", get("OFFICERS_CHAT_ID")),
        webhook=WebhookSettings(
            url=_optional_url("WEBHOOK_URL", get("WEBHOOK_URL")),
            listen=get("WEBHOOK_LISTEN") or "0.0.0.0",
            port=_port("WEBHOOK_PORT", get("WEBHOOK_PORT") or "8443"),
            secret_token=_secret(get("WEBHOOK_SECRET")),
        ),
        log_level=_choice("LOG_LEVEL", (get("LOG_LEVEL") or "INFO").upper(), _LOG_LEVELS),
        sandbox_host=get("SANDBOX_HOST") or "127.0.0.1",
        sandbox_port=_port("SANDBOX_PORT", get("SANDBOX_PORT") or "8080"),
        zalo_oa=_zalo_oa(get),
        zalo_oa_send_window=SEND_WINDOWS[
            _choice("ZALO_OA_SEND_WINDOW", get("ZALO_OA_SEND_WINDOW") or "48h", tuple(SEND_WINDOWS))
        ],
        zalo_bot=_zalo_bot(get),
        sections=sections,
    )


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the one form Vietnamese is stored and compared in."""
    return unicodedata.normalize("NFC", text)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _read_toml(path: Path, setting: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(setting, f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(setting, f"{path} is not valid TOML: {exc}") from None


def _read_dotenv(path: Path) -> dict[str, str]:
    """Read KEY=VALUE lines; blank lines and # comments are skipped, quotes stripped."""
    if not path.exists():
        return {}
    result: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep:
            raise ConfigError(".env", f"line {number} is not KEY=VALUE")
        result[key.strip()] = value.strip().strip("'\"")
    return result


def _token(value: str) -> str | None:
    if not value:
        return None
    if not _TOKEN_RE.match(value):
        raise ConfigError("BOT_TOKEN", "malformed: expected digits, a colon and the secret")
    return value


def _url(setting: str, value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise ConfigError(setting, f"not an http(s) URL: {value!r}")
    return value.rstrip("/")


def _optional_url(setting: str, value: str) -> str | None:
    return _url(setting, value) if value else None


def _database_path(value: str) -> Path:
    prefix = "sqlite:///"
    if not value.startswith(prefix):
        raise ConfigError("DATABASE_URL", f"must start with {prefix}, got {value!r}")
    path = Path(value.removeprefix(prefix))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError("DATABASE_URL", f"cannot create {path.parent}: {exc.strerror}") from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise ConfigError("DATABASE_URL", f"cannot write in {path.parent}")
    if path.exists() and (path.is_dir() or not os.access(path, os.R_OK | os.W_OK)):
        raise ConfigError("DATABASE_URL", f"{path} is not a readable and writable file")
    return path


def _timezone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("TIMEZONE", f"unknown time zone {value!r}") from None


def _choice(setting: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigError(setting, f"must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _optional_int(setting: str, value: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ConfigError(setting, f"not a number: {value!r}") from None


def _port(setting: str, value: str) -> int:
    port = _optional_int(setting, value)
    if port is None or not 0 <= port <= 65535:
        raise ConfigError(setting, f"not a port number: {value!r}")
    return port


def _zalo_oa(get: Callable[[str], str]) -> ZaloOASettings | None:
    """The OA channel's settings, when ZALO_OA_APP_ID is set; the keys it needs then."""
    app_id = get("ZALO_OA_APP_ID")
    if not app_id:
        return None
    if not app_id.isdigit():
        raise ConfigError("ZALO_OA_APP_ID", f"the app id is digits, got {app_id!r}")
    for needed in ("ZALO_OA_APP_SECRET", "ZALO_OA_SECRET_KEY"):
        if not get(needed):
            raise ConfigError(needed, "needed when ZALO_OA_APP_ID is set")
    path = get("ZALO_OA_WEBHOOK_PATH") or "/zalo/oa"
    if not re.match(r"^/[A-Za-z0-9/_.-]*$", path):
        raise ConfigError("ZALO_OA_WEBHOOK_PATH", f"a path starting with /, got {path!r}")
    return ZaloOASettings(
        app_id=app_id,
        app_secret=get("ZALO_OA_APP_SECRET"),
        secret_key=get("ZALO_OA_SECRET_KEY"),
        api_url=_root_url("ZALO_OA_API_URL", get("ZALO_OA_API_URL") or "https://openapi.zalo.me"),
        oauth_url=_root_url("ZALO_OAUTH_URL", get("ZALO_OAUTH_URL") or "https://oauth.zaloapp.com"),
        webhook_listen=get("ZALO_OA_WEBHOOK_LISTEN") or "0.0.0.0",
        webhook_port=_port("ZALO_OA_WEBHOOK_PORT", get("ZALO_OA_WEBHOOK_PORT") or "8444"),
        webhook_path=path,
        refresh_token=get("ZALO_OA_REFRESH_TOKEN") or None,
        **_oa_articles(get),
    )


def _oa_articles(get: Callable[[str], str]) -> dict[str, Any]:
    """Whether broadcasts become OA articles, how many a month, and their cover."""
    publish = _choice(
        "ZALO_OA_PUBLISH_ARTICLES", get("ZALO_OA_PUBLISH_ARTICLES") or "0", ("0", "1")
    )
    quota = _optional_int("ZALO_OA_ARTICLE_QUOTA", get("ZALO_OA_ARTICLE_QUOTA") or "4")
    if quota is None or quota < 0:
        raise ConfigError("ZALO_OA_ARTICLE_QUOTA", f"a number of 0 or more, got {quota!r}")
    cover = _optional_url("ZALO_OA_ARTICLE_COVER_URL", get("ZALO_OA_ARTICLE_COVER_URL"))
    if publish == "1" and cover is None:
        raise ConfigError("ZALO_OA_ARTICLE_COVER_URL", "needed when ZALO_OA_PUBLISH_ARTICLES=1")
    return {"publish_articles": publish == "1", "article_quota": quota, "article_cover_url": cover}


def _root_url(setting: str, value: str) -> str:
    """A bare root, scheme://host[:port]: the bot appends the platform's paths itself."""
    if not re.match(r"^https?://[^\s/?#]+/?$", value):
        raise ConfigError(setting, f"a bare http(s)://host[:port] with no path, got {value!r}")
    return value.rstrip("/")


def _secret(value: str) -> str | None:
    if value and not re.match(r"^[A-Za-z0-9_-]{1,256}$", value):
        raise ConfigError("WEBHOOK_SECRET", "1-256 characters of A-Z, a-z, 0-9, _ and -")
    return value or None


def _zalo_bot(get: Callable[[str], str]) -> ZaloBotSettings:
    token = get("ZALO_BOT_TOKEN")
    if token and not re.match(r"^[A-Za-z0-9]+:[A-Za-z0-9_-]+$", token):
        raise ConfigError(
            "ZALO_BOT_TOKEN", "malformed: expected the bot id, a colon and the secret"
        )
    secret = get("ZALO_BOT_WEBHOOK_SECRET")
    if secret and not re.match(r"^[A-Za-z0-9_-]{8,256}$", secret):
        raise ConfigError("ZALO_BOT_WEBHOOK_SECRET", "8-256 characters of A-Z, a-z, 0-9, _ and -")
    api_url = get("ZALO_BOT_API_URL") or "https://bot-api.zaloplatforms.com"
    return ZaloBotSettings(
        token=token or None,
        api_url=_url("ZALO_BOT_API_URL", api_url),
        webhook_url=_optional_url("ZALO_BOT_WEBHOOK_URL", get("ZALO_BOT_WEBHOOK_URL")),
        webhook_secret=secret or None,
        webhook_port=_port("ZALO_BOT_WEBHOOK_PORT", get("ZALO_BOT_WEBHOOK_PORT") or "8445"),
    )


def _villages(raw: Any) -> tuple[Village, ...]:
    villages = tuple(
        Village(
            id=_entry_id("villages", item),
            name=clean_line(nfc(_entry_text("villages", item, "name"))),
            households=_households(item),
        )
        for item in _entries("villages", raw)
    )
    _unique("villages", [v.id for v in villages])
    return villages


def _households(item: dict[str, Any]) -> int | None:
    value = item.get("households")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError("villages", f"households of {item.get('id')!r} must be a whole number")
    return value


def _topics(raw: Any) -> tuple[Topic, ...]:
    topics = tuple(
        Topic(
            id=_entry_id("topics", item),
            names={lang: clean_line(nfc(_entry_text("topics", item, lang))) for lang in LANGUAGES},
        )
        for item in _entries("topics", raw)
    )
    _unique("topics", [t.id for t in topics])
    return topics


def _entries(setting: str, raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw or not all(isinstance(i, dict) for i in raw):
        raise ConfigError(setting, "must be a non-empty list of tables ([[...]])")
    return raw


def _entry_id(setting: str, item: dict[str, Any]) -> str:
    value = _text(item.get("id"))
    if not _ID_RE.match(value):
        raise ConfigError(setting, f"id {value!r} must be lowercase letters, digits, - or _")
    return value


def _entry_text(setting: str, item: dict[str, Any], key: str) -> str:
    value = _text(item.get(key))
    if not value:
        raise ConfigError(setting, f"entry {item.get('id')!r} lacks {key!r}")
    return value


def _unique(setting: str, ids: list[str]) -> None:
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(setting, f"duplicate id {duplicates[0]!r}")
