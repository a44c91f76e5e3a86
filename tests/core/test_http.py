from types import SimpleNamespace

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from acvs.core.http import safe_next, upload_page
from acvs.offer.models import Offer
from tests.factories import OfferFactory

UNSAFE = [
    "not-a-url", "home", "offer:search", "https://evil.example/", "//evil.example/", "/\\evil.example",
    "https:evil.example", "http:///evil.example", "javascript:alert(1)", "\x00", " /", "/" + "x" * 2000, "", None,
]  # fmt: skip


@pytest.mark.parametrize("url", UNSAFE)
def test_next_that_is_not_a_path_of_this_site_is_dropped(rf, url):
    assert safe_next(rf.get("/"), url) == ""


@pytest.mark.parametrize("url", ["/", "/offers/?q=h%C3%B4tel&page=2", "/network/users/3/", "http://testserver/desk/"])
def test_paths_of_this_site_are_kept(rf, url):
    assert safe_next(rf.get("/"), url) == url


@pytest.mark.parametrize("bad", ["not-a-url", "https://evil.example/", "/" + "é" * 3000])
def test_a_bad_next_keeps_the_change_and_goes_back_to_a_safe_page(client, agent, cavalaire, bad):
    offer = OfferFactory(owner_office=cavalaire)
    client.force_login(agent)
    response = client.post(reverse("offer:verify", args=[offer.pk]), {"next": bad})
    assert (response.status_code, response.headers["Location"]) == (302, reverse("offer:detail", args=[offer.pk]))
    assert Offer.objects.get(pk=offer.pk).verified_at is not None


def test_a_good_next_is_followed(client, agent, cavalaire):
    offer = OfferFactory(owner_office=cavalaire)
    client.force_login(agent)
    response = client.post(reverse("offer:verify", args=[offer.pk]), {"next": "/?from=verify"})
    assert response.headers["Location"] == "/?from=verify"


class Refused(ValueError):
    pass


class UploadForm(forms.Form):
    file = forms.FileField()
    label = forms.CharField(max_length=10)


@pytest.fixture
def upload_template(settings, tmp_path):
    """A page showing the form's errors and the page's own context, in place of the apps' templates."""
    (tmp_path / "upload.html").write_text(
        '{% for field, errors in form.errors.items %}{{ field }}: {{ errors|join:", " }};{% endfor %}|{{ runs }}'
    )
    settings.TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}]
    return "upload.html"


def upload(rf, upload_template, create, data=None, method="post"):
    files = {"file": SimpleUploadedFile("visits.csv", b"name;email\n")}
    request = rf.post("/", {**(data or {"label": "Fair"}), **files}) if method == "post" else rf.get("/")
    return upload_page(
        request, UploadForm, create=create, refused=Refused, then="job", template=upload_template, context={"runs": 3}
    )


def test_an_upload_goes_to_the_page_of_what_the_service_created(rf, upload_template):
    calls = []

    def create(name, content, data):
        calls.append((name, content, data["label"]))
        return SimpleNamespace(pk=42)

    response = upload(rf, upload_template, create)
    assert (response.status_code, response["Location"]) == (302, reverse("job", args=[42]))
    assert calls == [("visits.csv", b"name;email\n", "Fair")]


def test_a_file_the_service_refuses_shows_its_reason_on_the_file_field(rf, upload_template):
    def create(name, content, data):
        raise Refused("visits.csv is not an XLSX workbook.")

    response = upload(rf, upload_template, create)
    assert response.status_code == 400
    assert response.content.decode() == "file: visits.csv is not an XLSX workbook.;|3"


def test_an_invalid_form_or_a_first_visit_shows_the_page_without_calling_the_service(rf, upload_template):
    def create(name, content, data):
        raise AssertionError("the service is not called")

    invalid = upload(rf, upload_template, create, data={"label": "A label far too long"})
    assert invalid.status_code == 400
    assert invalid.content.decode().startswith("label: ")
    first = upload(rf, upload_template, create, method="get")
    assert (first.status_code, first.content.decode()) == (200, "|3")


def test_another_error_of_the_service_is_not_swallowed(rf, upload_template):
    def create(name, content, data):
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        upload(rf, upload_template, create)
