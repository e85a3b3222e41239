"""The bot keeps the files people send; Telegram's file_id is only a cache for sending again."""

import hashlib
from pathlib import Path

from bot.people.officers import Role
from sandbox import SandboxServer, make_png
from sandbox.models import CallRecord
from tests.e2e.cases_steps import CODE_RE, TEXT, file_anonymous_feedback, reply_to, to_description
from tests.e2e.conftest import RunningBot, StartBot, add_officer

OFFICER = 2001
PHOTO = make_png(64, 48)


def photos_sent(sandbox: SandboxServer, chat_id: int) -> list[CallRecord]:
    return [c for c in sandbox.state.calls_for("sendPhoto", chat_id) if c.status == 200]


def uploaded(call: CallRecord) -> bool:
    """Whether the bytes went up with the call, rather than a file_id Telegram already has."""
    value = call.params.get("photo")
    return not isinstance(value, str) or value.startswith("attach://")


def stored_path(bot: RunningBot, sha256: str) -> Path:
    return bot.settings.database_path.parent / "files" / sha256[:2] / sha256


async def show_case(sandbox: SandboxServer, code: str) -> CallRecord:
    """The officer's /case, then its photo on demand: the sendPhoto call that carried it.

    /case is one message, the card with its timeline; the photo comes only
    when the officer presses "Xem 1 ảnh", never again with every /case.
    """
    officer = sandbox.user(OFFICER)
    before = len(photos_sent(sandbox, OFFICER))
    asked = await officer.send(f"/case {code}")
    card = await officer.next_message(
        lambda m: m.message_id > asked.message_id and code in m.content
    )
    assert "Quá trình xử lý" in card.content and card.kind == "text"
    assert len(photos_sent(sandbox, OFFICER)) == before
    await officer.press("🖼 Xem 1 ảnh", card)
    await officer.next_message(lambda m: m.kind == "photo" and code in m.content)
    calls = photos_sent(sandbox, OFFICER)
    assert len(calls) == before + 1
    return calls[-1]


async def test_a_citizens_photo_is_kept_and_sent_again_from_the_cache_or_the_bytes(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    hoa, lan = sandbox.user(OFFICER), sandbox.user(1001, first_name="Lan")
    await to_description(lan)
    assert "Bạn có thể gửi thêm" in await reply_to(lan, lan.send(TEXT))
    sent = await lan.send_photo(PHOTO)
    await lan.wait_for(contains="Đã nhận: 1 ảnh.")
    await lan.press("Tiếp tục")
    await lan.wait_for(contains="không bao giờ công khai")
    await lan.press("Gửi ẩn danh")
    await lan.wait_for(lambda m: "Người gửi: ẩn danh" in m.content and bool(m.buttons))
    code = CODE_RE.search(await reply_to(lan, lan.press("✅ Gửi"))).group()

    # The bytes are the bot's own, under the data folder, named by their SHA-256.
    sha256 = hashlib.sha256(PHOTO).hexdigest()
    assert stored_path(bot, sha256).read_bytes() == PHOTO
    case = await bot.services.cases.repo.by_code(code)
    (file,) = case.attachments
    assert (file.kind, file.ref, file.size) == ("photo", f"file:{sha256}", len(PHOTO))
    stored = await bot.services.files.get(sha256)
    assert (stored.size, stored.mime) == (len(PHOTO), "image/jpeg")

    # The officer's card carries the photo, sent by the file_id it came with.
    card = await hoa.wait_for(lambda m: m.kind == "photo" and code in m.content)
    assert sandbox.state.files.get(card.file_ids[-1]).data == PHOTO
    (announced,) = photos_sent(sandbox, OFFICER)
    assert announced.params["photo"] == sent.file_ids[-1]

    # /case sends it again from the cache: no upload.
    again = await show_case(sandbox, code)
    assert not uploaded(again) and again.params["photo"] == sent.file_ids[-1]

    # Without the cache row, the bytes are uploaded and the new file_id remembered.
    await bot.services.db.execute("DELETE FROM file_cache")
    upload = await show_case(sandbox, code)
    assert uploaded(upload)
    new_id = await bot.services.files.cache_ref(sha256, "telegram")
    assert new_id is not None and new_id != sent.file_ids[-1]
    assert sandbox.state.files.get(new_id).data == PHOTO
    cached = await show_case(sandbox, code)
    assert not uploaded(cached) and cached.params["photo"] == new_id


async def test_a_case_file_stored_the_old_way_is_adopted_on_first_use(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    """A row holding only a Telegram file_id (before the store) is downloaded once, then kept."""
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    hoa = sandbox.user(OFFICER)
    code = await file_anonymous_feedback(sandbox.user(1001, first_name="Lan"))
    await hoa.wait_for(contains=code)
    old_photo = make_png(80, 60)
    file_id = sandbox.state.files.photo_sizes(old_photo)[-1]["file_id"]  # Telegram holds it
    case = await bot.services.cases.repo.by_code(code)
    await bot.services.db.execute(  # the statement the bot used before the store
        "INSERT INTO case_files (case_id, event_id, kind, ref, filename)"
        " SELECT ?, MIN(id), 'photo', ?, NULL FROM case_events WHERE case_id = ?",
        (case.id, file_id, case.id),
    )

    first = await show_case(sandbox, code)
    assert not uploaded(first) and first.params["photo"] == file_id
    sha256 = hashlib.sha256(old_photo).hexdigest()
    assert stored_path(bot, sha256).read_bytes() == old_photo
    assert (await bot.services.files.legacy("telegram", file_id)).sha256 == sha256
    assert [c.params["file_id"] for c in sandbox.state.calls_for("getFile")] == [file_id]

    await bot.services.db.execute("DELETE FROM file_cache")  # the mapping is not the cache
    upload = await show_case(sandbox, code)
    assert uploaded(upload)
    assert len(sandbox.state.calls_for("getFile")) == 1  # downloaded once, ever
