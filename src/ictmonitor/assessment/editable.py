"""Policy documents as editable files: OpenDocument text (odfpy) and Word (python-docx).

A stored document is the small HTML its templates write (h1–h3, p, ul/ol with li, table rows,
strong, br); `blocks` reads it into headings, paragraphs, list items and table rows made of
runs (bold or not), and each writer lays those out with the word processor's own styles, so a
school edits a real document, not a picture of one. A table's empty cell stays empty, to be
filled in (the incident procedure's contact sheet).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import docx
from docx.shared import Pt
from odf import dc as odf_dc
from odf import style as odf_style
from odf import table as odf_table
from odf import text as odf_text
from odf.opendocument import OpenDocumentText

ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"odt": ODT, "docx": DOCX}


@dataclass(frozen=True)
class Run:
    """A piece of text, bold or not; a line break is a run of "\n"."""

    text: str
    bold: bool = False


@dataclass
class Block:
    """A heading (level 1–3), a paragraph, a list item (bulleted or numbered) or a table row
    (its cells, each a list of runs; `header` for a row of th cells)."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    cells: list[list[Run]] = field(default_factory=list)
    header: bool = False
    numbered: bool = False

    @property
    def text(self) -> str:
        """The block's plain text."""
        if self.kind == "row":
            return " | ".join("".join(r.text for r in cell) for cell in self.cells)
        return "".join(run.text for run in self.runs)


class _Reader(HTMLParser):
    """Reads the documents' HTML into blocks; tags it does not know keep their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.cell: list[Run] | None = None
        self.lists: list[bool] = []
        self.bold = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"h1", "h2", "h3"}:
            self._open(Block("heading", level=int(tag[1])))
        elif tag == "p":
            self._open(Block("paragraph"))
        elif tag in {"ul", "ol"}:
            self.lists.append(tag == "ol")
        elif tag == "li":
            self._open(Block("item", numbered=bool(self.lists and self.lists[-1])))
        elif tag == "tr":
            self._open(Block("row"))
        elif tag in {"td", "th"} and self.current is not None and self.current.kind == "row":
            self.cell = []
            self.current.cells.append(self.cell)
            self.current.header = self.current.header or tag == "th"
        elif tag in {"strong", "b"}:
            self.bold += 1
        elif tag == "br":
            self._add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2", "h3", "p", "li", "tr"}:
            self._close()
        elif tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        elif tag in {"td", "th"}:
            self.cell = None
        elif tag in {"strong", "b"} and self.bold:
            self.bold -= 1

    def handle_data(self, data: str) -> None:
        """Text with its white space as a browser shows it: each stretch one space."""
        if not data:
            return
        words = " ".join(data.split())
        if not words:
            self._add(" ")
            return
        lead = " " if data[0].isspace() else ""
        tail = " " if data[-1].isspace() else ""
        self._add(lead + words + tail)

    def _open(self, block: Block) -> None:
        self._close()
        self.current = block

    def _close(self) -> None:
        if self.current is not None and (self.current.text.strip() or self.current.cells):
            self.current.runs = _trimmed(self.current.runs)
            self.current.cells = [_trimmed(cell) for cell in self.current.cells]
            self.blocks.append(self.current)
        self.current, self.cell = None, None

    def _add(self, text: str) -> None:
        if not text:
            return
        if self.current is None:  # text outside any block (a template's loose line)
            if not text.strip():
                return
            self.current = Block("paragraph")
        target = self.cell if self.cell is not None else self.current.runs
        target.append(Run(text, self.bold > 0))


def _trimmed(runs: list[Run]) -> list[Run]:
    """Runs without the blanks at their start and end and around line breaks."""
    out = [run for run in runs if run.text]
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].bold)
        out[-1] = Run(out[-1].text.rstrip(), out[-1].bold)
    return out


def blocks(html: str) -> list[Block]:
    """A document's HTML body as blocks, in order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader._close()
    return reader.blocks


def to_docx(html: str, title: str) -> bytes:
    """The document as a Word file (.docx)."""
    document = docx.Document()
    document.core_properties.title = title
    document.styles["Normal"].font.size = Pt(10.5)
    table = None
    for block in blocks(html):
        if block.kind != "row":
            table = None
        if block.kind == "heading":
            _docx_runs(document.add_heading(level=block.level), block.runs)
        elif block.kind == "item":
            style = "List Number" if block.numbered else "List Bullet"
            _docx_runs(document.add_paragraph(style=style), block.runs)
        elif block.kind == "row":
            if table is None or len(table.columns) != len(block.cells):
                table = document.add_table(rows=0, cols=len(block.cells))
                table.style = "Table Grid"
            cells = table.add_row().cells
            for cell, runs in zip(cells, block.cells, strict=True):
                _docx_runs(cell.paragraphs[0], runs, bold=block.header)
        else:
            _docx_runs(document.add_paragraph(), block.runs)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_runs(paragraph: Any, runs: list[Run],
               bold: bool = False) -> None:
    for run in runs:
        if run.text == "\n":
            paragraph.add_run().add_break()
        else:
            paragraph.add_run(run.text).bold = run.bold or bold


def to_odt(html: str, title: str) -> bytes:
    """The document as OpenDocument text (.odt)."""
    document = OpenDocumentText()
    bold = odf_style.Style(name="Strong", family="text")
    bold.addElement(odf_style.TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    headings = {}
    for level, size in ((1, "18pt"), (2, "14pt"), (3, "12pt")):
        heading = odf_style.Style(name=f"Heading {level}", family="paragraph")
        heading.addElement(odf_style.TextProperties(fontsize=size, fontweight="bold"))
        heading.addElement(odf_style.ParagraphProperties(margintop="0.3cm",
                                                         marginbottom="0.15cm"))
        document.styles.addElement(heading)
        headings[level] = heading
    body = odf_style.Style(name="Text body", family="paragraph")
    body.addElement(odf_style.ParagraphProperties(marginbottom="0.2cm"))
    document.styles.addElement(body)
    document.meta.addElement(odf_dc.Title(text=title))
    text_root = document.text
    table = None
    current_list = None
    for block in blocks(html):
        if block.kind != "row":
            table = None
        if block.kind != "item":
            current_list = None
        if block.kind == "heading":
            element = odf_text.H(outlinelevel=block.level, stylename=headings[block.level])
            _odf_runs(element, block.runs, bold)
            text_root.addElement(element)
        elif block.kind == "item":
            if current_list is None:
                current_list = odf_text.List()
                text_root.addElement(current_list)
            item = odf_text.ListItem()
            paragraph = odf_text.P(stylename=body)
            prefix = [Run(f"{len(current_list.childNodes) + 1}. ")] if block.numbered else [
                Run("• ")]
            _odf_runs(paragraph, prefix + block.runs, bold)
            item.addElement(paragraph)
            current_list.addElement(item)
        elif block.kind == "row":
            if table is None:
                table = odf_table.Table(name=f"Table{len(text_root.childNodes)}")
                table.addElement(odf_table.TableColumn(numbercolumnsrepeated=len(block.cells)))
                text_root.addElement(table)
            row = odf_table.TableRow()
            for runs in block.cells:
                cell = odf_table.TableCell(valuetype="string")
                paragraph = odf_text.P()
                _odf_runs(paragraph, [Run(r.text, r.bold or block.header) for r in runs], bold)
                cell.addElement(paragraph)
                row.addElement(cell)
            table.addElement(row)
        else:
            paragraph = odf_text.P(stylename=body)
            _odf_runs(paragraph, block.runs, bold)
            text_root.addElement(paragraph)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _odf_runs(element: Any, runs: list[Run], bold: Any) -> None:
    for run in runs:
        if run.text == "\n":
            element.addElement(odf_text.LineBreak())
        elif run.bold:
            element.addElement(odf_text.Span(stylename=bold, text=run.text))
        else:
            element.addText(run.text)


def render(html: str, title: str, kind: str) -> bytes:
    """The document in an editable format: `odt` or `docx`."""
    if kind == "odt":
        return to_odt(html, title)
    if kind == "docx":
        return to_docx(html, title)
    raise ValueError(f"no editable format {kind!r}")
