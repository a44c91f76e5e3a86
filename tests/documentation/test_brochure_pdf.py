"""A brochure's PDF and public link: uploaded by the office that keeps the record only, checked (signature, declared
type, size), stored under a safe name, read back through a signed link by whoever received it."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfWriter

from acvs.documentation import selectors, services
from acvs.documentation.models import Document
from acvs.documentation.models import catalogue as catalogue_models
from tests.conftest import membership

pytestmark = pytest.mark.django_db


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _i in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(content: bytes | None = None, name="Guide été.pdf", content_type="application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type=content_type)


def form_of(document: Document, **extra) -> dict:
    return {
        "title": document.title, "publisher": document.publisher_id, "language": document.language,
        "is_current": "on", "version": document.version, **extra,
    }  # fmt: skip


@pytest.fixture
def own_guide(make_document, cavalaire):
    return make_document("Guide de l’été à Cavalaire", publisher=cavalaire)


def test_the_keeping_office_uploads_a_pdf_stored_under_a_safe_name(client, agent, own_guide, media):
    client.force_login(agent)
    content = pdf_bytes(2)
    hostile = upload(content, name="../../etc/passwd .pdf")
    response = client.post(reverse("documentation:edit", args=[own_guide.pk]), form_of(own_guide, pdf=hostile))
    assert response.status_code == 302
    own_guide.refresh_from_db()
    name = own_guide.pdf.name
    assert name.startswith("documentation/brochures/guide-de-lete-a-cavalaire-")
    assert name.endswith(".pdf")
    assert ".." not in name
    assert "passwd" not in name
    stored = media / name
    assert stored.read_bytes() == content
    assert stored.resolve().is_relative_to(media.resolve())
    detail = client.get(reverse("documentation:detail", args=[own_guide.pk])).content.decode()
    assert own_guide.pdf.url in detail


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"GIF89a not a pdf at all", "application/pdf"),  # a PDF by its name and declared type, not by its bytes
        (b"", "application/pdf"),
        (None, "text/html"),  # PDF bytes announced as a web page
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_clearly(client, agent, own_guide, media, content, content_type):
    client.force_login(agent)
    payload = form_of(own_guide, pdf=upload(content if content is not None else None, content_type=content_type))
    response = client.post(reverse("documentation:edit", args=[own_guide.pk]), payload)
    assert response.status_code == 400
    errors = response.context["form"].errors["pdf"]
    assert errors in (
        ["This file is not a PDF: choose the brochure’s PDF file."],
        ["The submitted file is empty."],  # Django's own word for an empty upload
    )
    own_guide.refresh_from_db()
    assert not own_guide.pdf
    assert not (media / "documentation").exists()


def test_an_oversized_pdf_is_refused_with_the_limit(client, agent, own_guide, media, monkeypatch):
    monkeypatch.setattr(catalogue_models, "PDF_MAX_BYTES", 1000)
    client.force_login(agent)
    big = pdf_bytes() + b"%" + b"x" * 1200
    response = client.post(reverse("documentation:edit", args=[own_guide.pk]), form_of(own_guide, pdf=upload(big)))
    assert response.status_code == 400
    [error] = response.context["form"].errors["pdf"]
    assert error.startswith("The file is 1.")
    assert error.endswith("a brochure’s PDF may be at most 1000\xa0bytes.")
    own_guide.refresh_from_db()
    assert not own_guide.pdf


def test_another_office_can_neither_upload_nor_replace_the_pdf(client, agent, other_agent, own_guide, media):
    services.document_update(
        membership=membership(agent), document=own_guide, version=own_guide.version, fields={"pdf": upload()}
    )
    own_guide.refresh_from_db()
    kept = own_guide.pdf.name
    client.force_login(other_agent)
    response = client.post(
        reverse("documentation:edit", args=[own_guide.pk]), form_of(own_guide, pdf=upload(pdf_bytes(3)))
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.document_update(
            membership=membership(other_agent), document=own_guide, version=own_guide.version,
            fields={"pdf": upload(pdf_bytes(3))},
        )  # fmt: skip
    own_guide.refresh_from_db()
    assert own_guide.pdf.name == kept
    assert sorted(p.name for p in (media / "documentation" / "brochures").iterdir()) == [kept.rpartition("/")[2]]
    # It still reads the brochure (the catalogue is shared) and sees that it has a PDF.
    assert client.get(reverse("documentation:detail", args=[own_guide.pk])).status_code == 200


def test_a_public_link_instead_of_a_file(client, agent, own_guide):
    client.force_login(agent)
    bad = client.post(reverse("documentation:edit", args=[own_guide.pk]), form_of(own_guide, public_url="javascript:x"))
    assert bad.status_code == 400
    assert "public_url" in bad.context["form"].errors
    url = "https://www.cavalaire.fr/brochures/guide-ete.pdf"
    ok = client.post(reverse("documentation:edit", args=[own_guide.pk]), form_of(own_guide, public_url=url))
    assert ok.status_code == 302
    own_guide.refresh_from_db()
    assert own_guide.public_url == url
    assert list(selectors.emailable_brochures()) == [own_guide]


def test_the_signed_link_serves_the_pdf_without_log_in_and_nothing_else(agent, own_guide, make_document, media):
    content = pdf_bytes()
    services.document_update(
        membership=membership(agent), document=own_guide, version=own_guide.version, fields={"pdf": upload(content)}
    )
    anonymous = Client()
    response = anonymous.get(selectors.pdf_link(own_guide))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == content
    without_pdf = make_document("Sans fichier")
    assert anonymous.get(selectors.pdf_link(without_pdf)).status_code == 404
    forged = reverse("documentation:public_pdf", args=[f"{own_guide.pk}:forged"])
    assert anonymous.get(forged).status_code == 404
    own_guide.refresh_from_db()
    own_guide.pdf.storage.delete(own_guide.pdf.name)  # lost from the storage: not found, not a server error
    assert anonymous.get(selectors.pdf_link(own_guide)).status_code == 404


def test_the_service_checks_the_pdf_too(agent, own_guide, media):
    with pytest.raises(ValidationError) as refused:
        services.document_update(
            membership=membership(agent), document=own_guide, version=own_guide.version,
            fields={"pdf": upload(b"<html>", name="x.pdf")},
        )  # fmt: skip
    assert refused.value.message_dict == {"pdf": ["This file is not a PDF: choose the brochure’s PDF file."]}


def test_the_audit_records_the_new_file_and_link(agent, own_guide, media):
    from acvs.core.models import AuditEntry

    services.document_update(
        membership=membership(agent), document=own_guide, version=own_guide.version,
        fields={"pdf": upload(), "public_url": "https://example.org/g.pdf"},
    )  # fmt: skip
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).latest("pk")
    changed = {change["field"]: change for change in entry.changes}
    assert changed["pdf"]["old"] == ""
    assert changed["pdf"]["new"].startswith("documentation/brochures/")
    assert changed["public_url"]["new"] == "https://example.org/g.pdf"
