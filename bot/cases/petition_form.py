"""A pre-filled complaint or denunciation petition (.docx) to print, sign and file.

The form is in Vietnamese whatever the chat language: it is addressed to the
commune's People's Committee, after the model petitions of Decree
124/2020/NĐ-CP (complaints) and Decree 31/2019/NĐ-CP (denunciations).
Blank lines are left for what the bot does not know, such as the ID number.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bot.cases.model import Case, Kind

DOTS = "." * 60


def filename(case: Case) -> str:
    kind = "to-cao" if case.kind is Kind.DENUNCIATION else "khieu-nai"
    return f"don-{kind}-{case.code}.docx"


def petition_docx(case: Case, commune: str, village: str, today: date) -> bytes:
    """The petition as .docx bytes, filled from the case and the citizen's details."""
    if not case.kind.formal:
        raise ValueError("petition forms are for complaints and denunciations")
    denunciation = case.kind is Kind.DENUNCIATION
    person = "NGƯỜI TỐ CÁO" if denunciation else "NGƯỜI KHIẾU NẠI"
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    _centered(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    _centered(doc, "Độc lập – Tự do – Hạnh phúc", bold=True)
    place = doc.add_paragraph(
        f"{commune}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"
    )
    place.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _centered(doc, "ĐƠN TỐ CÁO" if denunciation else "ĐƠN KHIẾU NẠI", bold=True, size=15)
    doc.add_paragraph(f"Kính gửi: Chủ tịch Ủy ban nhân dân xã {commune}")
    _petitioner(doc, case, commune, village)
    if denunciation:
        doc.add_paragraph(f"Người (cơ quan) bị tố cáo: {DOTS}")
        doc.add_paragraph("Nội dung tố cáo:")
    else:
        doc.add_paragraph(f"Khiếu nại quyết định, hành vi hành chính của: {DOTS}")
        doc.add_paragraph("Nội dung khiếu nại:")
    for line in case.description.splitlines() or [""]:
        doc.add_paragraph(line)
    doc.add_paragraph(f"Tài liệu, chứng cứ kèm theo (nếu có): {DOTS}")
    if denunciation:
        doc.add_paragraph(
            "Tôi cam đoan những nội dung tố cáo trên là đúng sự thật và chịu trách nhiệm"
            " trước pháp luật nếu cố ý tố cáo sai sự thật."
        )
    doc.add_paragraph(f"(Mã theo dõi trên Dân vận bot: {case.code})")
    _right(doc, person, bold=True)
    _right(doc, "(Ký và ghi rõ họ tên)")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _petitioner(doc: DocxDocument, case: Case, commune: str, village: str) -> None:
    """Who files: what the citizen gave, dotted lines for the rest."""
    contact = case.contact
    doc.add_paragraph(f"Họ và tên: {contact.name if contact else DOTS}")
    doc.add_paragraph(f"Số CCCD: {DOTS[:30]} Ngày cấp: {DOTS[:15]} Nơi cấp: {DOTS[:20]}")
    doc.add_paragraph(f"Địa chỉ: {village or DOTS[:30]}, xã {commune}")
    doc.add_paragraph(f"Số điện thoại: {contact.phone if contact else DOTS}")


def _centered(doc: DocxDocument, text: str, *, bold: bool = False, size: int | None = None) -> None:
    _line(doc, text, WD_ALIGN_PARAGRAPH.CENTER, bold, size)


def _right(doc: DocxDocument, text: str, *, bold: bool = False) -> None:
    _line(doc, text, WD_ALIGN_PARAGRAPH.RIGHT, bold, None)


def _line(
    doc: DocxDocument, text: str, align: WD_ALIGN_PARAGRAPH, bold: bool, size: int | None
) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold = bold
    if size is not None:
        run.font.size = Pt(size)
