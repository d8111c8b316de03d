"""Policy documents (issue 14, item 9): acceptable-use policies for pupils (in a primary or a
secondary school's words) and for staff, each saying what the school filters, monitors and
logs and stating the smartphone rule; the incident procedure's contact sheet; and every
document as OpenDocument text and Word beside the PDF."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.urls import reverse
from odf import opendocument, teletype
from odf import table as odf_table
from odf import text as odf_text

from ictmonitor.assessment import editable, services
from ictmonitor.assessment.models import PolicyDocument
from tests.assessment.test_support import current, every, import_schools, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(tmp_path):
    return import_schools(tmp_path, [("4001", "limburg", "basis"),
                                     ("4002", "limburg", "secundair")])


@pytest.fixture
def coordinator(user_factory, schools):
    return user_factory("coordinator", institutions=list(schools.values()))


def url(name, school, query=""):
    return reverse(f"assessment:{name}", args=[school.number]) + query


def test_pupils_read_their_own_schools_words_and_staff_have_their_own(schools, coordinator):
    for school in schools.values():
        submitted(school, coordinator, every(current(), 2, policy_smartphone_ban=0))
    primary = services.generate_document(schools["4001"], "acceptable-use", by=coordinator)
    secondary = services.generate_document(schools["4002"], "acceptable-use", by=coordinator)
    staff = services.generate_document(schools["4002"], "acceptable-use-staff", by=coordinator)
    assert "Ik gebruik alleen mijn eigen account" in primary.body_nl
    assert "I only use my own account" in primary.body_en
    assert "Ik gebruik alleen" not in secondary.body_nl
    assert "Acceptable-use policy for ICT: staff" in staff.body_en
    for document in (primary, secondary, staff):
        for body in (document.body_nl, document.body_en):
            assert "1 september 2025" in body or "1 September 2025" in body  # the smartphone rule
        assert "What the school filters, monitors and logs" in document.body_en
        assert "Wat de school filtert, opvolgt en logt" in document.body_nl
        # The ban is not in the school rules yet: the document says what the school does next.
        ban = current().question("policy-smartphone-ban").answer(0).action
        assert ban.nl in document.body_nl and ban.en in document.body_en


def test_the_incident_procedure_carries_a_contact_sheet_to_fill_in(schools, coordinator):
    document = services.generate_document(schools["4002"], "incident-handling", by=coordinator)
    rows = [b for b in editable.blocks(document.body_en) if b.kind == "row"]
    names = [b.cells[0][0].text for b in rows[1:]]
    for who in ("Data protection officer (DPO)", "Vlaamse Toezichtcommissie (VTC), data breaches",
                "Centre for Cybersecurity Belgium (CCB), cyber incidents", "Police",
                "1712, violence and abuse"):
        assert who in names
    dpo = rows[names.index("Data protection officer (DPO)") + 1]
    assert all(cell == [] for cell in dpo.cells[1:])  # left for the school to fill in
    assert "Contactblad" in document.body_nl


def test_every_document_downloads_as_opendocument_and_word(schools, coordinator, client_for):
    school = schools["4002"]
    submitted(school, coordinator, every(current(), 2, infra_mfa=1))
    document = services.generate_document(school, "incident-handling", by=coordinator)
    browser = client_for(coordinator)
    odt = browser.get(url("document_odt", school, f"?id={document.pk}&lang=nl"))
    assert odt.status_code == 200 and odt["Content-Type"] == editable.ODT
    assert "attachment" in odt["Content-Disposition"] and ".odt" in odt["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(odt.content)) as package:
        assert package.read("mimetype") == editable.ODT.encode()
    opened = opendocument.load(io.BytesIO(odt.content))
    headings = [teletype.extractText(h) for h in opened.getElementsByType(odf_text.H)]
    assert headings[0] == "Procedure voor incidentafhandeling" and "8. Contactblad" in headings
    text = " ".join(teletype.extractText(p) for p in opened.getElementsByType(odf_text.P))
    assert "Zet MFA aan" in text or current().question("infra-mfa").answer(1).action.nl in text
    assert len(opened.getElementsByType(odf_table.TableRow)) == 12
    word = browser.get(url("document_docx", school, f"?id={document.pk}&lang=en"))
    assert word.status_code == 200 and word["Content-Type"] == editable.DOCX
    opened_word = docx.Document(io.BytesIO(word.content))
    styles = [(p.style.name, p.text) for p in opened_word.paragraphs]
    assert ("Heading 1", "Incident-handling procedure") in styles
    assert any(style == "List Number" for style, _text in styles)
    sheet = opened_word.tables[0]
    assert sheet.rows[0].cells[0].text == "Who" and len(sheet.rows) == 12
    draft = browser.get(url("document_docx", school, "?kind=acceptable-use-staff&lang=en"))
    assert draft.status_code == 200 and "draft" in draft["Content-Disposition"]
    assert browser.get(url("document_odt", school, "?kind=nothing")).status_code == 404
    assert PolicyDocument.objects.count() == 1


def test_another_schools_documents_are_404(schools, user_factory, client_for):
    theirs = user_factory("coordinator", institutions=[schools["4001"]])
    document = services.generate_document(schools["4001"], "acceptable-use", by=theirs)
    other = client_for("coordinator", institutions=[schools["4002"]])
    for name in ("document_odt", "document_docx"):
        assert other.get(url(name, schools["4001"], f"?id={document.pk}")).status_code == 404
        assert other.get(url(name, schools["4002"], f"?id={document.pk}")).status_code == 404


def test_bold_runs_line_breaks_and_numbered_lists_survive():
    html = ("<h2>Title</h2><p>Plain <strong>bold</strong> text<br>next line</p>"
            "<ol><li>one</li><li>two</li></ol><ul><li>dot</li></ul>")
    found = editable.blocks(html)
    assert [b.kind for b in found] == ["heading", "paragraph", "item", "item", "item"]
    assert found[1].runs == [editable.Run("Plain "), editable.Run("bold", True),
                             editable.Run(" text"), editable.Run("\n"),
                             editable.Run("next line")]
    assert [b.numbered for b in found[2:]] == [True, True, False]
    paragraphs = docx.Document(io.BytesIO(editable.to_docx(html, "T"))).paragraphs
    assert [r.bold for r in paragraphs[1].runs if r.text.strip()] == [False, True, False, False]
