"""The monthly report: a PDF read back, its figures those of the office's dashboard for the month."""

import datetime
import io
import random
import subprocess

from django.urls import reverse
from pypdf import PdfReader

from acvs.core.tenancy import scope_for
from acvs.observatory import report
from acvs.observatory.selectors import Period, office_dashboard
from acvs.observatory.services import recount

from .conftest import random_activity

MONTH = datetime.date(2026, 3, 1)


def pdf_text(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_the_report_says_what_the_dashboard_says_for_the_month(client, cavalaire, croix_valmer, agent, tmp_path):
    random_activity(random.Random(3), [cavalaire, croix_valmer], datetime.date(2025, 3, 1), 400, 500)
    recount()
    client.force_login(agent)
    response = client.get(reverse("observatory:office_report"), {"month": "2026-03"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="office-de-tourisme-de-cavalaire-2026-03.pdf"'
    (tmp_path / "report.pdf").write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "60", "-png", tmp_path / "report.pdf", tmp_path / "page"], check=True)
    text, pages = pdf_text(response.content)
    assert pages == 2
    with scope_for(office=cavalaire):
        dashboard = office_dashboard(cavalaire, Period(MONTH, MONTH))
    flat = " ".join(text.split())  # a label may wrap in its cell
    assert "Rapport mensuel · Mars 2026" in flat
    for figure in dashboard.key_figures:  # each line: the label, the month, the same month a year before, the change
        expected = " ".join(str(part) for part in (figure.label, figure.now_shown, figure.before_shown, figure.change))
        assert expected.strip() in flat, expected
    assert dashboard.key_figures[0].now > 10  # both years have figures
    assert dashboard.key_figures[0].before > 10
    for slug in ("channel", "stay", "lead", "outcome"):
        table = dashboard.table(slug)
        for row in table.rows:
            assert " ".join(str(p) for p in (row.label, row.now, row.before, row.change)).strip() in flat
    assert len(list(tmp_path.glob("page-*.png"))) == 2  # pdftoppm draws them: a sound PDF


def test_a_bad_month_is_refused_with_its_reason(client, agent):
    client.force_login(agent)
    response = client.get(reverse("observatory:office_report"), {"month": "2026-13"})
    assert response.status_code == 400
    assert "Saisissez une date valide" in response.content.decode() or "valide" in response.content.decode()


def test_the_report_of_another_office_cannot_be_asked(client, cavalaire, croix_valmer, other_agent, tmp_path):
    """The report is the acting office's: nothing in the request chooses the office."""
    found = report.monthly_report(croix_valmer, MONTH)
    assert found.office == croix_valmer
    client.force_login(other_agent)
    text, _pages = pdf_text(client.get(reverse("observatory:office_report"), {"month": "2026-03"}).content)
    assert "La Croix-Valmer" in text
    assert "Cavalaire" not in text
