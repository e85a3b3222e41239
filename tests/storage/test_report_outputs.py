"""The Word report, its CSV, charts and the public figures, from a seeded database."""

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bot.core.config import ConfigError
from bot.core.i18n import use_language
from bot.messaging.channels import Recipient
from bot.people.citizens import CitizenRepository
from bot.people.subscriptions import Subscriptions
from bot.reports.csv_report import read_csv, report_rows, to_csv
from bot.reports.figures import CaseFigures, Count, FaqFigures, FigureSources
from bot.reports.period import Period
from bot.reports.public import stats_text
from bot.reports.service import (
    PeriodNotStarted,
    ReportOptions,
    ReportService,
    connected_sources,
)
from tests.storage.test_report_subscribers import PEOPLE, play

PNG = b"\x89PNG\r\n\x1a\n"


class FakeCases:
    """A stand-in for the cases issue's source: the same figures for any month."""

    async def figures(self, period: Period) -> CaseFigures:
        return CaseFigures(
            by_kind=(Count("feedback", "Phản ánh", 6), Count("denunciation", "Tố cáo", 1)),
            by_topic=(Count("land", "Đất đai", 4), Count("pollution", "Ô nhiễm môi trường", 3)),
            by_village=(Count("tan-hung", "Thôn Tân Hưng", 7),),
            accepted=6,
            answered=5,
            resolved=4,
            transferred=1,
            overdue=2,
            on_time=4,
            late=1,
            median_working_days=4.5,
            satisfaction=4.25,
            ratings=4,
        )


class FakeFaq:
    async def figures(self, period: Period) -> FaqFigures:
        return FaqFigures(asked=40, answered_at_once=31, unanswered=3, sent_to_officers=2)


def full_text(document: bytes) -> str:
    """Every piece of text in the document: paragraphs, tables (nested too), headers."""
    parsed = docx.Document(io.BytesIO(document))
    return "\n".join(node.text or "" for node in parsed.element.body.iter(qn("w:t")))


def table_rows(document: bytes) -> set[tuple[str, ...]]:
    parsed = docx.Document(io.BytesIO(document))
    return {tuple(c.text for c in row.cells) for t in parsed.tables for row in t.rows}


def assert_no_personal_data(text: str) -> None:
    for who, number in PEOPLE.items():
        assert f"Người {who} " not in text
        assert str(number) not in text and "0912 000" not in text


@pytest.fixture
async def seeded(db, clock, settings) -> None:
    await play(Subscriptions(CitizenRepository(db, clock), settings), clock)
    clock.set(datetime(2026, 10, 2, 3, 0, tzinfo=UTC))


def service(db, settings, clock, **extra) -> ReportService:
    sources = replace(connected_sources(db, settings, clock), **extra)
    return ReportService(sources, settings, clock)


async def test_the_word_report_has_the_form_the_figures_and_the_charts(
    seeded, db, settings, clock
) -> None:
    reports = service(db, settings, clock, cases=FakeCases(), faq=FakeFaq())
    files = await reports.build(reports.parse("2026-Q3"))
    text = full_text(files.docx)
    for expected in (
        "UBND XÃ TÂN VIỆT",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: .../BC-UBND",
        "Tân Việt, ngày 02 tháng 10 năm 2026",
        "BÁO CÁO",
        "Kết quả công tác dân vận chính quyền quý III năm 2026",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Đến cuối kỳ, có 8 công dân nhận tin",
        "Tiếp nhận 7 câu hỏi, phản ánh, kiến nghị",
    ):
        assert expected in text, expected
    rows = table_rows(files.docx)
    assert {
        ("Đang nhận tin cuối kỳ", "8"),
        ("Đăng ký mới", "6"),
        ("Đăng ký lại", "1"),
        ("Ngừng nhận tin", "2"),
        ("Chặn chatbot", "1"),
        ("Thôn Việt Tiến", "2"),
        ("Chưa chọn thôn", "1"),
        ("Tiếp nhận", "7"),
        ("Tố cáo", "1"),  # a denunciation is counted, never described
        ("Tỷ lệ giải quyết đúng hạn", "80%"),
        ("Thời gian giải quyết (trung vị)", "4,5 ngày làm việc"),
        ("Mức độ hài lòng trung bình", "4,2/5"),
        ("Trả lời ngay", "31"),
    } <= rows
    assert "Chưa có số liệu." not in text  # every area has its source now
    assert_no_personal_data(text)
    parsed = docx.Document(io.BytesIO(files.docx))
    assert len(parsed.inline_shapes) == len(files.charts) == 2
    assert all(chart.png.startswith(PNG) for chart in files.charts)
    assert "Tiếp nhận theo tháng" in files.charts[0].title or "theo tháng" in files.charts[0].title


async def test_the_page_follows_decree_30(seeded, db, settings, clock) -> None:
    reports = service(db, settings, clock)
    files = await reports.build(reports.parse("2026-09"))
    parsed = docx.Document(io.BytesIO(files.docx))
    section = parsed.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    sizes += (section.left_margin, section.right_margin)
    # Word stores twentieths of a point, so a millimetre comes back within a hair.
    assert [round(s / Mm(1)) for s in sizes] == [210, 297, 20, 20, 30, 15]
    normal = parsed.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(13)
    header = parsed.tables[0]
    # Issuing body and the national motto side by side, in a table without borders.
    assert header.rows[0].cells[0].text.startswith("UBND XÃ TÂN VIỆT")
    assert header.rows[0].cells[1].text.startswith("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    assert parsed.core_properties.author == "UBND xã Tân Việt"


async def test_areas_without_a_source_say_no_data_never_zero(seeded, db, settings, clock) -> None:
    reports = service(db, settings, clock, cases=None, faq=None, duties=None, broadcasts=None)
    files = await reports.build(reports.parse("2026-Q3"))
    text = full_text(files.docx)
    assert text.count("Chưa có số liệu.") == 4
    assert "Chưa có số liệu về: thông tin, tuyên truyền; câu hỏi, phản ánh, kiến nghị" in text
    rows = read_csv(files.csv)
    missing = [r for r in rows if r.metric == "no_data"]
    assert [r.area for r in missing] == ["broadcasts", "cases", "faq", "duties"]
    assert all(r.value is None and r.label == "chưa có số liệu" for r in missing)
    assert not any(r.area == "cases" and r.value == 0 for r in rows)
    # Without cases, the one chart is the subscribers'.
    assert [c.title for c in files.charts] == ["Công dân đăng ký nhận tin của xã theo tháng"]


async def test_the_csv_round_trips_and_opens_in_excel(seeded, db, settings, clock) -> None:
    reports = service(db, settings, clock, cases=FakeCases(), faq=FakeFaq())
    files = await reports.build(reports.parse("2026-Q3"))
    assert files.csv.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert b"\r\n" in files.csv
    text = files.csv.decode("utf-8-sig")
    assert text.splitlines()[0] == "Lĩnh vực,Chỉ tiêu,Mã,Tên chỉ tiêu,Giá trị"
    assert "subscribers,by_village,viet-tien,Thôn Việt Tiến,2" in text
    assert "cases,share_on_time,,Tỷ lệ giải quyết đúng hạn,0.8" in text
    assert_no_personal_data(text)
    with use_language("vi"):
        rows = report_rows(files.figures)
    assert read_csv(files.csv) == rows
    assert read_csv(to_csv(rows)) == rows
    assert rows[0].key == "2026-Q3" and rows[1].key == "2026-09-30"


async def test_a_running_period_is_counted_up_to_today(seeded, db, settings, clock) -> None:
    reports = service(db, settings, clock)
    files = await reports.build(reports.parse("2026-10"))
    assert "(Số liệu tính đến ngày 02/10/2026)" in full_text(files.docx)
    assert files.figures.subscribers is not None and files.figures.subscribers.blocked == 1
    with pytest.raises(PeriodNotStarted):
        await reports.build(reports.parse("2026-11"))


async def test_public_figures_for_citizens(seeded, db, settings, clock) -> None:
    plain = await service(db, settings, clock, cases=None).public_stats("vi")
    with use_language("vi"):
        text = stats_text(plain, settings.commune_name)
    assert "Công khai số liệu của UBND xã Tân Việt" in text
    assert "Tháng 10 năm 2026:\n• Câu hỏi, phản ánh, kiến nghị: chưa có số liệu" in text
    assert "Số công dân đang nhận tin của xã: 7" in text  # K blocked the bot on 1 October
    assert plain.chart is not None and plain.chart.png.startswith(PNG)
    with_cases = await service(db, settings, clock, cases=FakeCases()).public_stats("vi")
    with use_language("vi"):
        text = stats_text(with_cases, settings.commune_name)
    assert "Năm 2026:\n• Câu hỏi, phản ánh, kiến nghị đã tiếp nhận: 7" in text
    assert "• Giải quyết đúng hạn: 80%" in text and "hài lòng trung bình: 4,2/5" in text
    assert with_cases.chart is not None and "theo loại" in with_cases.chart.title
    assert_no_personal_data(text)


def test_sources_plug_in_without_touching_the_service() -> None:
    sources = FigureSources(cases=FakeCases())
    assert sources.subscribers is None and sources.cases is not None


async def test_signer_and_recipients_come_from_config(seeded, db, settings, clock) -> None:
    own = replace(
        settings,
        sections={"reports": {"signer": "Phạm Văn Chủ", "recipients": ["UBND tỉnh", "Lưu: VT"]}},
    )
    reports = service(db, own, clock)
    text = full_text((await reports.build(reports.parse("2026-09"))).docx)
    assert "Phạm Văn Chủ" in text and "- UBND tỉnh;" in text and "- Lưu: VT." in text


@pytest.mark.parametrize(
    ("section", "setting"),
    [
        ({"signer": 5}, "[reports] signer"),
        ({"recipients": "UBND tỉnh"}, "[reports] recipients"),
        ({"recipients": ["", "Lưu"]}, "[reports] recipients"),
        ({"sign": "A"}, "[reports] sign"),
    ],
)
def test_a_wrong_reports_section_is_named(settings, section, setting) -> None:
    with pytest.raises(ConfigError) as error:
        ReportOptions.from_settings(replace(settings, sections={"reports": section}))
    assert error.value.setting == setting


async def test_properties_are_in_the_order_word_requires(seeded, db, settings, clock) -> None:
    reports = service(db, settings, clock)
    parsed = docx.Document(io.BytesIO((await reports.build(reports.parse("2026-09"))).docx))
    body = parsed.element.body
    pbdr = [p.getparent() for p in body.iter(qn("w:pBdr"))]
    tbl_borders = [b.getparent() for b in body.iter(qn("w:tblBorders"))]
    assert pbdr and tbl_borders
    for properties, first, later in [
        *((p, "w:pBdr", ("w:spacing", "w:ind", "w:jc")) for p in pbdr),
        *((t, "w:tblBorders", ("w:tblLayout", "w:tblLook")) for t in tbl_borders),
    ]:
        tags = [child.tag for child in properties]
        for tag in later:
            if qn(tag) in tags:
                assert tags.index(qn(first)) < tags.index(qn(tag)), (first, tag)


async def test_public_figures_are_reused_for_ten_minutes(seeded, db, settings, clock) -> None:
    reports = service(db, settings, clock)
    first = await reports.public_stats("vi")
    subscriptions = Subscriptions(CitizenRepository(db, clock), settings)
    await subscriptions.start(Recipient.telegram(999), "Mới", "vi")
    clock.advance(timedelta(minutes=9))
    assert await reports.public_stats("vi") is first
    clock.advance(timedelta(minutes=2))
    again = await reports.public_stats("vi")
    assert again.month.subscribers is not None and again.month.subscribers.total == 8
