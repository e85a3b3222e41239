"""The OA token pair against a fake OAuth server: rotation, one refresh at a time, crash safety."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.core.db import Database
from handlers.zalo_oa.tokens import (
    OAuthClient,
    ReauthorisationNeeded,
    TokenKeeper,
    pkce_pair,
)
from tests.fakes.zalo_oa import ACCESS_LIFE, FakeZaloOA


@pytest.fixture
async def fake() -> AsyncIterator[FakeZaloOA]:
    server = FakeZaloOA()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def keeper(
    db: Database, fake: FakeZaloOA, http: httpx.AsyncClient, clock: ManualClock
) -> TokenKeeper:
    state = fake.state
    oauth = OAuthClient(fake.root_url, state.app_id, state.app_secret, http)
    return TokenKeeper(db, oauth, clock)


async def test_bootstrap_refreshes_and_rotates_the_pair(
    db: Database, fake: FakeZaloOA, http: httpx.AsyncClient, clock: ManualClock
) -> None:
    first = fake.grant_refresh_token()
    tokens = keeper(db, fake, http, clock)
    await tokens.start(first)
    access = await tokens.access_token()
    assert access in fake.state.access_tokens
    assert await tokens.access_token() == access  # fresh: no second refresh
    clock.advance(timedelta(seconds=ACCESS_LIFE))  # expired: refreshed with the rotated token
    second = await tokens.access_token()
    assert second != access
    assert fake.state.spent[0] == first and fake.state.spent[1] != first
    assert len(set(fake.state.spent)) == 2  # no refresh token presented twice


async def test_the_environment_token_is_ignored_once_a_pair_is_stored(
    db: Database, fake: FakeZaloOA, http: httpx.AsyncClient, clock: ManualClock
) -> None:
    tokens = keeper(db, fake, http, clock)
    await tokens.start(fake.grant_refresh_token())
    await tokens.access_token()
    clock.advance(timedelta(seconds=ACCESS_LIFE))
    again = keeper(db, fake, http, clock)  # a restart with the same (now spent) env token
    await again.start(fake.state.spent[0])
    await again.access_token()
    assert len(fake.state.spent) == len(set(fake.state.spent)) == 2


async def test_concurrent_callers_share_one_refresh(
    db: Database, fake: FakeZaloOA, http: httpx.AsyncClient, clock: ManualClock
) -> None:
    tokens = keeper(db, fake, http, clock)
    await tokens.start(fake.grant_refresh_token())
    found = await asyncio.gather(*(tokens.access_token() for _ in range(10)))
    assert fake.state.refreshes == 1
    assert len(set(found)) == 1
    # Ten calls refused with -216 at once: one refresh, all get its token.
    refused = found[0]
    again = await asyncio.gather(*(tokens.refreshed(refused) for _ in range(10)))
    assert fake.state.refreshes == 2
    assert len(set(again)) == 1 and again[0] != refused


async def test_a_crash_between_refresh_and_store_never_reuses_the_old_token(
    settings: Settings, fake: FakeZaloOA, http: httpx.AsyncClient, clock: ManualClock
) -> None:
    db = await Database.open(settings.database_path)
    tokens = keeper(db, fake, http, clock)
    first = fake.grant_refresh_token()
    await tokens.start(first)
    fake.state.hold_refresh = asyncio.Event()  # Zalo rotates, the answer never arrives
    dying = asyncio.create_task(tokens.access_token())
    await fake.state.rotated.wait()
    dying.cancel()  # the process dies here, before the new pair is stored
    with pytest.raises(asyncio.CancelledError):
        await dying
    fake.state.hold_refresh.set()
    await db.close()

    db = await Database.open(settings.database_path)  # the restart
    try:
        restarted = keeper(db, fake, http, clock)
        await restarted.start(first)
        status = await restarted.status()
        assert status.problem is not None and "spent" in status.problem
        with pytest.raises(ReauthorisationNeeded):
            await restarted.access_token()
        assert fake.state.spent == [first]  # X was never sent again
        # An officer re-authorises: the new pair works again.
        verifier, challenge = pkce_pair()
        oauth = OAuthClient(fake.root_url, fake.state.app_id, fake.state.app_secret, http)
        await restarted.store(await oauth.exchange(fake.authorisation_code(challenge), verifier))
        assert (await restarted.status()).problem is None
        assert await restarted.access_token() in fake.state.access_tokens
    finally:
        await db.close()


async def test_a_refused_refresh_token_asks_for_reauthorisation(
    db: Database, fake: FakeZaloOA, http: httpx.AsyncClient, clock: ManualClock
) -> None:
    tokens = keeper(db, fake, http, clock)
    await tokens.start("ref-never-issued")
    with pytest.raises(ReauthorisationNeeded):
        await tokens.access_token()
    with pytest.raises(ReauthorisationNeeded):  # and it is not sent a second time
        await tokens.access_token()
    assert fake.state.spent == ["ref-never-issued"]
    assert "refused" in ((await tokens.status()).problem or "")


async def test_a_wrong_pkce_verifier_is_refused(fake: FakeZaloOA, http: httpx.AsyncClient) -> None:
    _, challenge = pkce_pair()
    other, _ = pkce_pair()
    oauth = OAuthClient(fake.root_url, fake.state.app_id, fake.state.app_secret, http)
    with pytest.raises(Exception, match="14019"):
        await oauth.exchange(fake.authorisation_code(challenge), other)
