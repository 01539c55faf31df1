"""The papers a professional register accepts: a member's proof of participation and yearly
overview as A4 PDF files, in the member's language. Pure: the same facts give the same text.

The text is set in DejaVu Sans (the font matplotlib ships), embedded in the file and shaped
with HarfBuzz, so names in Latin, Greek, Cyrillic, Arabic and Hebrew scripts (with any accents)
print as they are written. DejaVu has no Chinese, Japanese or Korean characters."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from methods.attendance import YearOverview
from rendering.attendance_files import (
    Proof,
    overview_rows,
    overview_summary,
    proof_rows,
    reader_date,
)
from rendering.i18n import Translator

FONT = "DejaVu"
MARGIN = 20  # mm


@cache
def _font_files() -> tuple[Path, Path]:
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return fonts / "DejaVuSans.ttf", fonts / "DejaVuSans-Bold.ttf"


def _paper(tr: Translator, title: str, landscape: bool = False) -> FPDF:
    pdf = FPDF(orientation="L" if landscape else "P", format="A4")
    regular, bold = _font_files()
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_text_shaping(True)  # joined letters and right-to-left words (Arabic, Hebrew)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, MARGIN)
    pdf.set_title(title)
    pdf.set_lang(tr.language)
    pdf.set_creator("intervisie Slack bot")
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    return pdf


def _paragraph(pdf: FPDF, text: str, size: float = 11) -> None:
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(0, size * 0.55, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def proof_pdf(tr: Translator, proof: Proof, code: str, verify_at: str | None) -> bytes:
    """One attendee's proof, with its verification code (and where to check it: a web address
    when the bot serves one, else the command for the group's members)."""
    pdf = _paper(tr, tr.text("attendance.proof_title"))
    _paragraph(pdf, tr.text("attendance.proof_intro", name=proof.name))
    pdf.set_font(FONT, "", 11)
    with pdf.table(col_widths=(1, 2), text_align="LEFT", first_row_as_headings=False) as table:
        for label, value in proof_rows(tr, proof):
            row = table.row()
            row.cell(label)
            row.cell(value)
    pdf.ln(6)
    _paragraph(pdf, tr.text("attendance.proof_footer", reference=proof.reference), 9)
    if proof.corrected_at is not None:
        corrected = reader_date(tr, proof.corrected_at, proof.tz)
        _paragraph(pdf, tr.text("attendance.proof_corrected", date=corrected), 9)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(
        0, 7, tr.text("verify.code_line", code=code), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    where = (
        tr.text("verify.check_online", url=f"{verify_at}/verify/{code}")
        if verify_at
        else tr.text("verify.check_in_slack", code=code)
    )
    _paragraph(pdf, where, 9)
    return bytes(pdf.output())


def overview_pdf(tr: Translator, name: str, overview: YearOverview, tz: ZoneInfo) -> bytes:
    """A member's meetings of one year, which of them count toward their target, the total."""
    pdf = _paper(tr, tr.text("attendance.overview_title", year=overview.year), landscape=True)
    _paragraph(pdf, f"{tr.text('attendance.proof_participant')}: {name}")
    target = overview.target
    _paragraph(
        pdf, tr.text("attendance.overview_target", meetings=target.meetings, minimum=target.minutes)
    )
    _paragraph(pdf, _plain(overview_summary(tr, overview)))
    header, rows = overview_rows(tr, overview, tz)
    if not rows:
        _paragraph(pdf, tr.text("attendance.overview_none", year=overview.year))
        return bytes(pdf.output())
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=(2, 3, 4, 2, 4, 3), text_align="LEFT") as table:
        heading = table.row()
        for cell in header:
            heading.cell(cell)
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)
    return bytes(pdf.output())


def _plain(text: str) -> str:
    """Slack's emoji shortcodes mean nothing on paper."""
    return text.replace(" :tada:", "")
