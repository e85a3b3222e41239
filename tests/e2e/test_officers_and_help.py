"""Officers' commands, refusals in the audit log, help and unknown input."""

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.people.officers import OfficerRepository, Role
from handlers.zalo_bot.ids import ZaloIds
from sandbox import SandboxServer
from tests import cli
from tests.e2e.conftest import RunningBot, StartBot, add_officer


async def test_citizen_attempt_at_officer_command_is_refused_and_audited(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    lan = sandbox.user(1001, first_name="Lan")
    await lan.send("/audit")
    refusal = await lan.next_message()
    assert "chỉ dành cho cán bộ" in refusal.text
    entries = await running_bot.services.audit.recent()
    assert [(e.actor, e.action, e.outcome) for e in entries] == [
        (Recipient.telegram(1001), "command:audit", "denied")
    ]


async def test_officer_without_the_role_is_refused(
    sandbox, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.CULTURE)
    bot = await start_bot()
    hoa = sandbox.user(2001, first_name="Hoa")
    await hoa.send("/audit")
    assert "chỉ dành cho cán bộ" in (await hoa.next_message()).text
    await hoa.send("/subscribers")
    assert "Công dân đang đăng ký nhận tin: 0" in (await hoa.next_message()).text
    outcomes = [(e.action, e.outcome) for e in reversed(await bot.services.audit.recent())]
    assert outcomes == [("command:audit", "denied"), ("command:subscribers", "ok")]


def run_cli(settings, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot *args` on the test's database, run in this process (`tests/cli.py`)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{settings.database_path}",
        "DANVAN_CONFIG": "/nonexistent.toml",
    }
    env.pop("BOT_TOKEN", None)
    return cli.run_cli(*args, env=env)


async def test_officer_added_by_cli_sees_officer_commands(
    sandbox: SandboxServer, settings, start_bot: StartBot
) -> None:
    added = await asyncio.to_thread(
        run_cli,
        settings,
        "officer",
        "add",
        "--user-id",
        "3001",
        "--role",
        "chairman,office",
        "--name",
        "Ông Nam",
    )
    assert added.returncode == 0, added.stderr
    assert "chairman" in added.stdout
    nam = sandbox.user(3001, first_name="Nam", language_code="vi")
    citizen = sandbox.user(1001, first_name="Lan", language_code="vi")
    bot = await start_bot()

    officer_menu = {c["command"] for c in nam.commands}
    citizen_menu = {c["command"] for c in citizen.commands}
    assert {"audit", "subscribers", "officer", "help", "start"} <= officer_menu
    assert "audit" not in citizen_menu and {"start", "help", "settings", "stop"} <= citizen_menu
    english = sandbox.state.commands_for(3001, "en")
    assert any(c["description"] == "Latest officer actions" for c in english)

    await nam.send("/help")
    help_text = (await nam.next_message()).text
    assert "Dành cho cán bộ:" in help_text and "/audit" in help_text
    await nam.send("/subscribers")
    await nam.next_message()
    await nam.send("/audit")
    listed = (await nam.next_message()).text
    assert "Thao tác gần đây" in listed
    # Officers by name, not by chat id.
    assert "· Ông Nam · command:subscribers" in listed and "telegram:3001" not in listed
    entries = await bot.services.audit.recent()
    assert entries[0].action == "command:audit" and entries[0].outcome == "ok"
    assert any(e.action == "officer:add" and e.actor.channel == "cli" for e in entries)


async def test_officer_added_while_the_bot_runs_has_the_menu_with_the_next_reply(
    sandbox: SandboxServer, settings, clock, running_bot: RunningBot
) -> None:
    nam = sandbox.user(3001, first_name="Nam", language_code="vi")
    await nam.send("/help")
    await nam.next_message()
    assert "audit" not in {c["command"] for c in nam.commands}

    # As `python -m bot officer add` does: another connection writes the row.
    await add_officer(settings, clock, 3001, "Ông Nam", Role.CHAIRMAN)
    await nam.send("chào")
    await nam.next_message()
    assert {"audit", "report", "help"} <= {c["command"] for c in nam.commands}
    english = sandbox.state.commands_for(3001, "en")
    assert any(c["description"] == "Latest officer actions" for c in english)

    await running_bot.services.officers.deactivate(Recipient.telegram(3001))
    await nam.send("/help")
    await nam.next_message()
    assert "audit" not in {c["command"] for c in nam.commands}
    assert "help" in {c["command"] for c in nam.commands}  # the citizens' menu again


def test_cli_refuses_unknown_role_and_duplicates(settings) -> None:
    bad = run_cli(settings, "officer", "add", "--user-id", "5", "--role", "mayor", "--name", "X")
    assert bad.returncode == 2 and "unknown role 'mayor'" in bad.stderr
    unseen = "\u202e\u200b"  # a name of invisible characters only is no name
    blank = run_cli(
        settings, "officer", "add", "--user-id", "5", "--role", "office", "--name", unseen
    )
    assert blank.returncode == 2 and "--name must not be empty" in blank.stderr
    assert (
        run_cli(
            settings, "officer", "add", "--user-id", "5", "--role", "justice", "--name", "Y"
        ).returncode
        == 0
    )
    dup = run_cli(settings, "officer", "add", "--user-id", "5", "--role", "justice", "--name", "Y")
    assert dup.returncode == 2 and "already an officer" in dup.stderr
    listed = run_cli(settings, "officer", "list")
    assert "Y" in listed.stdout and "justice" in listed.stdout
    removed = run_cli(settings, "officer", "remove", "--user-id", "5")
    assert removed.returncode == 0
    assert "No officers yet" in run_cli(settings, "officer", "list").stdout
    missing = run_cli(settings, "officer", "remove", "--user-id", "5")
    assert missing.returncode == 2


async def test_help_lists_citizen_commands(sandbox: SandboxServer, running_bot: RunningBot) -> None:
    lan = sandbox.user(1001, first_name="Lan")
    await lan.send("/help")
    text = (await lan.next_message()).text
    assert "/start" in text and "/settings" in text and "/stop" in text
    assert "/audit" not in text and "Dành cho cán bộ" not in text


async def test_unknown_input_gets_a_pointer_to_help(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    lan = sandbox.user(1001, first_name="Lan")
    await lan.send("xin chào, cho hỏi chút")
    assert "/help" in (await lan.next_message()).text
    await lan.send("/lamgi")
    assert "Tôi không biết lệnh này" in (await lan.next_message()).text
    await lan.send_sticker()
    assert "chưa xử lý được loại tin nhắn" in (await lan.next_message()).text
    await lan.send_photo()
    assert "/help" in (await lan.next_message()).text
    await lan.forward("tin chuyển tiếp")
    assert "chuyển tiếp" in (await lan.next_message()).text
    sent = await lan.send("/help")
    await lan.next_message()
    await lan.edit(sent, "/stop")
    assert "đã sửa" in (await lan.next_message()).text


async def test_groups_get_only_a_pointer_to_a_private_chat(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    group = sandbox.group(-100777, title="Nhóm thôn")
    lan = sandbox.user(1001, first_name="Lan")
    await lan.send_in(group, "chuyện trong nhóm")
    await lan.send_in(group, "/start")
    pointer = await group.next_message()
    assert "nhắn riêng" in pointer.text
    # Updates are handled in order: once a later command is answered, the ones
    # before it are done, and whatever they sent is in the chats.
    await lan.send_in(group, "/help")
    await group.next_message(contains="nhắn riêng")
    assert len(group.messages) == 2 and lan.messages == []
    assert await running_bot.services.citizens.get(Recipient.telegram(1001)) is None


def test_help_flag_lists_every_subcommand() -> None:
    env = {**os.environ, "DANVAN_CONFIG": "/nonexistent.toml"}
    out = cli.run_cli("--help", env=env)
    assert out.returncode == 0
    for name in ("run", "config", "check", "backup", "officer"):
        assert name in out.stdout


def test_bad_configuration_stops_with_one_clear_line(tmp_path: Path) -> None:
    """Through the real entry point, `python -m bot` in a process of its own."""
    env = {**os.environ, "TIMEZONE": "Mars/Olympus", "DANVAN_CONFIG": "/nonexistent.toml"}
    out = subprocess.run(
        [sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 2
    assert out.stderr.strip() == "Configuration error: TIMEZONE: unknown time zone 'Mars/Olympus'"


def test_backup_command_copies_the_database(settings, tmp_path: Path) -> None:
    assert (
        run_cli(
            settings, "officer", "add", "--user-id", "8", "--role", "office", "--name", "Chị Thu"
        ).returncode
        == 0
    )
    copy = tmp_path / "backups" / "copy.db"
    result = run_cli(settings, "backup", str(copy))
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT name FROM officers").fetchall() == [("Chị Thu",)]
    conn.close()


async def test_officers_on_zalo_are_added_by_their_zalo_id(settings, clock) -> None:
    """An OA officer by the OA's number; a Zalo Bot officer by Zalo's string id, which
    becomes the number the Zalo Bot channel gives that person when they write."""
    oa = run_cli(
        settings, "officer", "add", "--channel", "zalo_oa", "--user-id", "2512523625412515",
        "--role", "office", "--name", "Hoa",
    )  # fmt: skip
    assert oa.returncode == 0, oa.stderr
    bad = run_cli(
        settings, "officer", "add", "--channel", "zalo_oa", "--user-id", "abc",
        "--role", "office", "--name", "X",
    )  # fmt: skip
    assert bad.returncode == 2 and "numeric zalo_oa user id" in bad.stderr
    zb = run_cli(
        settings, "officer", "add", "--channel", "zalo_bot", "--user-id", "7d3f0a1b9c",
        "--role", "justice", "--name", "Minh",
    )  # fmt: skip
    assert zb.returncode == 0, zb.stderr
    db = await Database.open(settings.database_path)
    try:
        number = await ZaloIds(db, clock).local("7d3f0a1b9c")  # as an update would map it
        officers = OfficerRepository(db, clock)
        minh = await officers.get(Recipient("zalo_bot", str(number)))
        hoa = await officers.get(Recipient("zalo_oa", "2512523625412515"))
    finally:
        await db.close()
    assert minh is not None and minh.name == "Minh" and hoa is not None
    listed = run_cli(settings, "officer", "list").stdout
    assert "Hoa  [office]  (zalo_oa)" in listed and "Minh  [justice]  (zalo_bot)" in listed
    gone = run_cli(
        settings, "officer", "remove", "--channel", "zalo_bot", "--user-id", "7d3f0a1b9c"
    )
    assert gone.returncode == 0, gone.stderr
