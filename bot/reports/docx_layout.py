"""Page, fonts and building blocks of a Vietnamese administrative document (Decree 30/2020)."""

from __future__ import annotations

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 12
SMALL_PT = 11
# Decree 30/2020/NĐ-CP, appendix I: A4; top and bottom 20-25 mm, left 30-35 mm,
# right 15-20 mm; Times New Roman 13-14 pt; first-line indent 1-1.27 cm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
INDENT = Cm(1.27)
# Word refuses a file whose properties are out of the schema's order, so the
# borders go before the elements that must follow them (ECMA-376, CT_PPr, CT_TblPr).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_TBLBORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip
TEXT_WIDTH = Mm(210 - 30 - 15)


def setup_page(doc: Document) -> None:
    """A4 portrait, the decree's margins, Times New Roman 13 pt for every script."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    # Word picks the East Asian slot for some Vietnamese letters unless it is set too.
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    spacing = normal.paragraph_format
    spacing.space_before, spacing.space_after = Pt(0), Pt(6)
    spacing.line_spacing = 1.0


def line(
    container: Document | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = BODY_PT,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    after: int = 0,
) -> Paragraph:
    """A paragraph of one run, formatted as the decree asks for that element."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def body(doc: Document, text: str) -> Paragraph:
    """A justified paragraph of running text with the first line indented."""
    paragraph = line(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    paragraph.paragraph_format.first_line_indent = INDENT
    return paragraph


def heading(doc: Document, text: str) -> Paragraph:
    """A section heading: bold, at the left margin."""
    paragraph = line(doc, text, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=6)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def rule(container: Document | _Cell, width_cm: float, of_cm: float) -> None:
    """A short centred line under a header element, `width_cm` long in a `of_cm` column."""
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(2)
    margin = Cm(max(of_cm - width_cm, 0) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = margin
    paragraph.add_run().font.size = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def borderless(doc: Document, rows: int, widths_cm: tuple[float, ...]) -> Table:
    """A layout table without borders: the header and the signature block sit side by side."""
    table: Table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.insert_element_before(borders, *_AFTER_TBLBORDERS)
    _widths(table, widths_cm)
    for row in table.rows:
        for cell in row.cells:
            # A new cell holds one empty paragraph; content is added after it.
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    return table


def grid(doc: Document, header: tuple[str, str], rows: list[tuple[str, str]]) -> Table:
    """A two-column data table with borders: label, figure."""
    table: Table = doc.add_table(rows=1, cols=2)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for label, value in rows:
        cells = table.add_row().cells  # type: ignore[no-untyped-call]
        _cell_text(cells[0], label, align=WD_ALIGN_PARAGRAPH.LEFT)
        _cell_text(cells[1], value, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _widths(table, (11.5, 4.5))
    return table


def _widths(table: Table, widths_cm: tuple[float, ...]) -> None:
    """Column widths in the grid (LibreOffice reads it) and in every cell (Word does)."""
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(TABLE_PT)
