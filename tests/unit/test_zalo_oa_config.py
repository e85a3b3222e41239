"""The Zalo OA settings: off without an app id, one-line errors naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.config import ConfigError, Settings, load_settings

KEYS = {"ZALO_OA_APP_ID": "1234567890", "ZALO_OA_APP_SECRET": "s", "ZALO_OA_SECRET_KEY": "k"}


def load(tmp_path: Path, env: dict[str, str]) -> Settings:
    return load_settings(
        {"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", **env},
        config_path=tmp_path / "none.toml",
        dotenv_path=tmp_path / "none.env",
    )


def test_no_app_id_no_channel(tmp_path: Path) -> None:
    assert load(tmp_path, {}).zalo_oa is None


def test_defaults_and_roots(tmp_path: Path) -> None:
    oa = load(tmp_path, {**KEYS, "ZALO_OA_API_URL": "http://127.0.0.1:9000/"}).zalo_oa
    assert oa is not None
    assert oa.api_url == "http://127.0.0.1:9000"
    assert oa.oauth_url == "https://oauth.zaloapp.com"
    assert (oa.webhook_port, oa.webhook_path, oa.refresh_token) == (8444, "/zalo/oa", None)
    assert (oa.publish_articles, oa.article_quota, oa.article_cover_url) == (False, 4, None)


def test_articles_are_published_when_asked_with_a_cover(tmp_path: Path) -> None:
    cover = "https://xa.example.gov.vn/logo.jpg"
    env = {"ZALO_OA_PUBLISH_ARTICLES": "1", "ZALO_OA_ARTICLE_COVER_URL": cover}
    oa = load(tmp_path, {**KEYS, **env, "ZALO_OA_ARTICLE_QUOTA": "6"}).zalo_oa
    assert oa is not None
    assert (oa.publish_articles, oa.article_quota, oa.article_cover_url) == (True, 6, cover)


@pytest.mark.parametrize(
    ("env", "setting", "words"),
    [
        ({"ZALO_OA_APP_ID": "1234"}, "ZALO_OA_APP_SECRET", "needed when ZALO_OA_APP_ID"),
        ({**KEYS, "ZALO_OA_SECRET_KEY": ""}, "ZALO_OA_SECRET_KEY", "needed"),
        ({**KEYS, "ZALO_OA_APP_ID": "abc"}, "ZALO_OA_APP_ID", "digits"),
        ({**KEYS, "ZALO_OA_API_URL": "https://openapi.zalo.me/v3.0"}, "ZALO_OA_API_URL", "no path"),
        ({**KEYS, "ZALO_OAUTH_URL": "oauth.zaloapp.com"}, "ZALO_OAUTH_URL", "bare http"),
        ({**KEYS, "ZALO_OA_WEBHOOK_PORT": "x"}, "ZALO_OA_WEBHOOK_PORT", "not a number"),
        ({**KEYS, "ZALO_OA_WEBHOOK_PATH": "zalo"}, "ZALO_OA_WEBHOOK_PATH", "starting with /"),
        ({**KEYS, "ZALO_OA_PUBLISH_ARTICLES": "yes"}, "ZALO_OA_PUBLISH_ARTICLES", "one of 0, 1"),
        (
            {**KEYS, "ZALO_OA_PUBLISH_ARTICLES": "1"},
            "ZALO_OA_ARTICLE_COVER_URL",
            "needed when ZALO_OA_PUBLISH_ARTICLES=1",
        ),
        ({**KEYS, "ZALO_OA_ARTICLE_QUOTA": "-1"}, "ZALO_OA_ARTICLE_QUOTA", "0 or more"),
        ({**KEYS, "ZALO_OA_ARTICLE_QUOTA": "four"}, "ZALO_OA_ARTICLE_QUOTA", "not a number"),
    ],
)
def test_bad_settings_are_named(
    tmp_path: Path, env: dict[str, str], setting: str, words: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, env)
    assert caught.value.setting == setting
    assert words in str(caught.value) and "\n" not in str(caught.value)
