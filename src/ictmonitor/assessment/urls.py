"""The assessment pages under /assessment/. Only the school's number is in the path; other
choices travel as ?id=N, ?area=, ?lang= (the URL-walking access test fills paths with a school)."""

from django.urls import path

from ictmonitor.assessment.views import (
    documents,
    evidence,
    index,
    labels,
    plan,
    portability,
    school,
    staff,
)

app_name = "assessment"

urlpatterns = [
    path("", index.index, name="index"),
    path("factsheets/", index.factsheet, name="factsheet"),
    path("school/<str:number>/", school.overview, name="overview"),
    path("school/<str:number>/answers/", school.answers, name="answers"),
    path("school/<str:number>/submit/", school.submit, name="submit"),
    path("school/<str:number>/evidence/", evidence.evidence, name="evidence"),
    path("school/<str:number>/result/", school.result, name="result"),
    path("school/<str:number>/plan/", plan.plan, name="plan"),
    path("school/<str:number>/plan.pdf", plan.plan_pdf, name="plan_pdf"),
    path("school/<str:number>/label/", labels.label, name="label"),
    path("school/<str:number>/certificate.pdf", labels.certificate, name="certificate"),
    path("school/<str:number>/documents/", documents.documents, name="documents"),
    path("school/<str:number>/document.pdf", documents.document_pdf, name="document_pdf"),
    path("school/<str:number>/document.odt", documents.document_odt, name="document_odt"),
    path("school/<str:number>/document.docx", documents.document_docx, name="document_docx"),
    path("school/<str:number>/staff/", staff.staff, name="staff"),
    path("staff/<str:token>/", staff.reply, name="staff_reply"),
    path("school/<str:number>/new-version/", portability.new_version, name="new_version"),
    path("school/<str:number>/history.json", portability.export_json, name="export_json"),
    path("school/<str:number>/history.pdf", portability.export_pdf, name="export_pdf"),
]
