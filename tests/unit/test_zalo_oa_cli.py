"""`python -m bot zalo authorize|status` against the fake OA's OAuth server."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from dataclasses import replace
from urllib.parse import parse_qs, urlparse

import pytest

from bot.cli import zalo
from bot.cli.main import build_parser
from bot.core.config import Settings, ZaloOASettings
from handlers.zalo_oa.admin import open_admin
from tests.fakes.zalo_oa import FakeZaloOA


@pytest.fixture
async def fake() -> AsyncIterator[FakeZaloOA]:
    server = FakeZaloOA()
    await server.start()
    yield server
    await server.stop()


def with_oa(settings: Settings, fake: FakeZaloOA) -> Settings:
    state = fake.state
    oa = ZaloOASettings(
        state.app_id, state.app_secret, state.secret_key, fake.root_url, fake.root_url
    )
    return replace(settings, zalo_oa=oa)


async def test_authorize_stores_the_pair_and_status_says_so(
    settings: Settings, fake: FakeZaloOA, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # fmt: skip
    settings = with_oa(settings, fake)
    args = argparse.Namespace(
        redirect_uri="https://commune.example/zalo/callback", refresh_token=None
    )
    async with open_admin(settings) as admin:
        assert await zalo._status(args, admin) == 1  # nothing stored yet
        shown: list[str] = []
        permission_url = admin.permission_url

        def recording(redirect_uri: str) -> tuple[str, str]:
            url, verifier = permission_url(redirect_uri)
            shown.append(url)
            return url, verifier

        def officer_pastes(prompt: str) -> str:
            (challenge,) = parse_qs(urlparse(shown[0]).query)["code_challenge"]
            code = fake.authorisation_code(challenge)
            return f"https://commune.example/zalo/callback?oa_id=1&code={code}&state=x"

        monkeypatch.setattr(admin, "permission_url", recording)
        monkeypatch.setattr("builtins.input", officer_pastes)
        capsys.readouterr()
        assert await zalo._authorize(args, admin) == 0
        query = parse_qs(urlparse(shown[0]).query)
        assert query["app_id"] == [fake.state.app_id]
        assert query["redirect_uri"] == ["https://commune.example/zalo/callback"]
        assert await zalo._status(args, admin) == 0
        out = capsys.readouterr().out
        assert "Authorised" in out and "Re-authorisation: not needed" in out
        assert "Webhook: no event received yet" in out

        # A refresh the bot did not live to store: the status says to re-authorise.
        await admin._db.execute("UPDATE zalo_oa_tokens SET spending = refresh_token")
        assert await zalo._status(args, admin) == 1
        assert "Re-authorisation NEEDED" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("pasted", "code"),
    [
        ("https://x.example/cb?code=abc123&state=s", "abc123"),
        ("abc123", "abc123"),
        ("code=abc123&oa_id=1", "abc123"),
        ("not a code", ""),
        ("", ""),
    ],
)
def test_the_code_is_found_in_what_is_pasted(pasted: str, code: str) -> None:
    assert zalo.code_of(pasted) == code


def test_the_commands_are_there() -> None:
    args = build_parser().parse_args(["zalo", "status"])
    assert args.action == "status" and args.open_zalo_oa is not None


async def test_a_refresh_token_from_the_api_explorer_replaces_a_lost_pair(
    settings: Settings, fake: FakeZaloOA
) -> None:
    settings = with_oa(settings, fake)
    async with open_admin(settings) as admin:
        await admin._db.execute(
            "INSERT INTO zalo_oa_tokens (id, refresh_token, expires_at, spending, problem,"
            " updated_at) VALUES (1, 'ref-dead', 0, 'ref-dead', 'lost in a crash', 0)"
        )
        fresh = fake.grant_refresh_token()
        args = argparse.Namespace(redirect_uri=None, refresh_token=fresh)
        assert await zalo._authorize(args, admin) == 0
        assert (await admin.status()).problem is None
        assert await admin._tokens.access_token() in fake.state.access_tokens
        assert fake.state.spent == [fresh]


def test_authorize_needs_one_way_or_the_other() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["zalo", "authorize"])
