"""Settings: defaults, precedence, and one clear error per bad setting."""

from pathlib import Path

import pytest

from bot.core.config import ConfigError, load_settings

TOKEN = "123456789:" + "A" * 35


def load(
    tmp_path: Path,
    env: dict[str, str] | None = None,
    toml: str | None = None,
    dotenv: str | None = None,
):
    config = tmp_path / "config.toml"
    if toml is not None:
        config.write_text(toml, encoding="utf-8")
    dotenv_path = tmp_path / ".env"
    if dotenv is not None:
        dotenv_path.write_text(dotenv, encoding="utf-8")
    environ = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite", **(env or {})}
    return load_settings(environ, config_path=config, dotenv_path=dotenv_path)


def test_defaults_give_a_typical_commune(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings.bot_token is None
    assert settings.bot_api_url == "https://api.telegram.org"
    assert settings.timezone.key == "Asia/Ho_Chi_Minh"
    assert settings.default_language == "vi"
    assert len(settings.villages) >= 5
    assert settings.topic("model_story") is not None
    assert settings.topic("model_story").name("vi") == "Dân vận khéo"
    assert settings.webhook.url is None


def test_environment_beats_dotenv_beats_toml(tmp_path: Path) -> None:
    settings = load(
        tmp_path,
        env={"TIMEZONE": "Asia/Bangkok"},
        toml='timezone = "Asia/Tokyo"\ncommune_name = "Xã Thử"\nlog_level = "debug"\n',
        dotenv="TIMEZONE=Europe/Paris\nCOMMUNE_NAME='Xã Mới'\n",
    )
    assert settings.timezone.key == "Asia/Bangkok"
    assert settings.commune_name == "Xã Mới"
    assert settings.log_level == "DEBUG"


def test_villages_and_topics_from_config(tmp_path: Path) -> None:
    toml = """
[[villages]]
id = "a"
name = "Thôn\u200b A\u202e"
[[topics]]
id = "t"
vi = "Chủ đề"
en = "\u2066Topic\u2069"
"""
    settings = load(tmp_path, toml=toml)
    assert [v.name for v in settings.villages] == ["Thôn A"]  # invisible characters dropped
    assert settings.topics[0].name("en") == "Topic"


def test_vietnamese_is_stored_in_nfc(tmp_path: Path) -> None:
    decomposed = "Xa\u0303 Ta\u0302n"  # "Xã Tân" typed as NFD
    settings = load(tmp_path, env={"COMMUNE_NAME": decomposed})
    assert settings.commune_name == "Xã Tân"


@pytest.mark.parametrize(
    ("env", "toml", "setting", "words"),
    [
        ({"BOT_TOKEN": "not-a-token"}, None, "BOT_TOKEN", "malformed"),
        ({"TIMEZONE": "Asia/Hanoi_City"}, None, "TIMEZONE", "unknown time zone"),
        ({"DATABASE_URL": "postgres://x"}, None, "DATABASE_URL", "sqlite:///"),
        ({"DATABASE_URL": "sqlite:////proc/nope/db.sqlite"}, None, "DATABASE_URL", "cannot create"),
        (
            {"DATABASE_URL": "sqlite:////etc/hostname/db.sqlite"},
            None,
            "DATABASE_URL",
            "cannot create",
        ),
        ({"DEFAULT_LANGUAGE": "fr"}, None, "DEFAULT_LANGUAGE", "vi, en"),
        ({"WEBHOOK_PORT": "99999"}, None, "WEBHOOK_PORT", "port"),
        ({"OFFICERS_CHAT_ID": "group"}, None, "OFFICERS_CHAT_ID", "not a number"),
        ({"BOT_API_URL": "localhost:8081"}, None, "BOT_API_URL", "URL"),
        ({}, "bot_tokn = 'x'", "BOT_TOKN", "unknown setting"),
        ({}, "[[villages]]\nid = 'A B'\nname = 'x'", "villages", "lowercase"),
        ({}, "[[topics]]\nid = 'a'\nvi = 'x'", "topics", "'en'"),
        ({}, "this is = not toml", "DANVAN_CONFIG", "not valid TOML"),
    ],
)
def test_bad_setting_is_named(tmp_path: Path, env, toml, setting, words) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, env=env, toml=toml)
    assert caught.value.setting == setting
    assert words in str(caught.value)


def test_custom_bot_api_root_is_kept_without_trailing_slash(tmp_path: Path) -> None:
    settings = load(tmp_path, env={"BOT_API_URL": "http://127.0.0.1:8081/", "BOT_TOKEN": TOKEN})
    assert settings.bot_api_url == "http://127.0.0.1:8081"
    assert settings.bot_token == TOKEN


def test_example_files_document_every_setting(tmp_path: Path) -> None:
    from bot.core.config import SETTINGS_DOC
    from bot.core.paths import ROOT

    dotenv = (ROOT / ".env.example").read_text(encoding="utf-8")
    toml = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for name in SETTINGS_DOC:
        assert f"\n{name}=" in dotenv, name
        assert name.lower() in toml, name
    settings = load_settings(
        {"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"},
        config_path=ROOT / "config.example.toml",
        dotenv_path=tmp_path / "none",
    )
    assert settings.village("dong-tam") is not None


def test_feature_sections_are_passed_to_features(tmp_path: Path) -> None:
    settings = load(tmp_path, toml="[broadcast]\nrate = 20\n")
    assert settings.section("broadcast") == {"rate": 20}
    assert settings.section("cases") == {}
