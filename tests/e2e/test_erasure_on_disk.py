"""Erased names and phones leave the disk: the database file, its WAL and its shared memory.

A row SQLite deletes or overwrites stays readable in free space and in the WAL
until something overwrites it; the bot zeroes freed space (secure_delete) and
empties the WAL (a TRUNCATE checkpoint) after an erasure and after a form is
dropped. These tests read the raw bytes of the files while the bot runs.
"""

from pathlib import Path

import pytest

from bot.people.officers import Role
from sandbox import SandboxServer
from sandbox.harness import SimUser
from tests.e2e.cases_steps import CODE_RE, reply_to, to_contact
from tests.e2e.conftest import RunningBot, StartBot, add_officer, drained
from tests.e2e.test_mydata import subscribe

FIRST, LAST, PHONE = "Zyxwvu", "Erasable", "0912345670"
TYPED = f"{FIRST} {LAST} 0912 345 670"
VALUES = (FIRST, LAST, PHONE, "0912 345 670", "912345670")


def traces(db_path: Path) -> list[str]:
    """Each erased value still found in the database's files, with the file and the encoding."""
    found = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = db_path.with_name(db_path.name + suffix)
        if not path.exists():
            continue
        data = path.read_bytes()
        for value in VALUES:
            # UTF-8 is how this database stores text; UTF-16 in both byte orders is
            # how SQLite stores it in a database created with another encoding.
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                if value.encode(encoding) in data:
                    found.append(f"{value!r} in {path.name} ({encoding})")
    return found


async def fill_in_contact(lan: SimUser) -> None:
    await to_contact(lan)
    await reply_to(lan, lan.send(TYPED))
    await lan.wait_for(contains="Xin kiểm tra lại")


# Where the values are when they are erased: still only in the WAL (a recent
# case, a form being filled in), or already copied into the database file
# (SQLite does so every thousand pages written, so within days on a busy bot).
WHERE = pytest.mark.parametrize("in_file", [False, True], ids=["in the WAL", "in the file"])


async def copy_wal_into_file(bot: RunningBot, db_path: Path) -> None:
    await bot.services.db.purge_wal()
    assert any(".db (" in found for found in traces(db_path))


@WHERE
async def test_an_erased_citizen_is_gone_from_the_files(
    in_file: bool, sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    hoa, lan = sandbox.user(2001), sandbox.user(1001, first_name=f"{FIRST} {LAST}")
    await subscribe(lan)
    await fill_in_contact(lan)
    await lan.press("✅ Gửi")
    code = CODE_RE.findall((await lan.wait_for(contains="Mã tra cứu")).text)[0]
    card = await hoa.wait_for(contains=code)
    assert PHONE in card.text  # the officer's card, kept in the outbox, holds it too
    await hoa.press("Thụ lý", card)
    await lan.wait_for(contains="thụ lý")
    await drained(bot)
    assert traces(settings.database_path)  # the test sees the values where they are
    if in_file:
        await copy_wal_into_file(bot, settings.database_path)

    await lan.send("/mydata")
    await lan.press("Xoá dữ liệu cá nhân của tôi", await lan.wait_for(contains="Ai được xem"))
    await lan.press("Có, xoá", await lan.wait_for(contains="Nội dung hồ sơ vẫn được lưu"))
    await lan.wait_for(contains="Xong. Đã xoá")

    assert traces(settings.database_path) == []
    assert await bot.services.cases.repo.by_code(code) is not None  # the case itself stays


@pytest.mark.parametrize(
    ("how", "in_file"),
    [("/cancel", False), ("button", False), ("start again", False), ("/cancel", True)],
)
async def test_a_cancelled_form_leaves_no_name_or_phone(
    how: str, in_file: bool, sandbox: SandboxServer, settings, start_bot: StartBot
) -> None:
    bot = await start_bot()
    lan = sandbox.user(1001)
    await fill_in_contact(lan)
    assert traces(settings.database_path)
    if in_file:
        await copy_wal_into_file(bot, settings.database_path)

    if how == "/cancel":
        await lan.send("/cancel")
        await lan.wait_for(contains="Đã huỷ")
    elif how == "button":
        await lan.press("Huỷ", lan.messages[-1])
        await lan.wait_for(contains="Đã huỷ")
    else:
        await lan.press("Làm lại", lan.messages[-1])
        await lan.wait_for(contains="Bạn muốn gửi gì")

    assert traces(settings.database_path) == []
