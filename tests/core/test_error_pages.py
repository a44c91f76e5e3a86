"""Error pages in the application's frame (its navigation) and in the user's language, with DEBUG off."""

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from acvs.core.errors import server_error

pytestmark = pytest.mark.urls("tests.core.error_urls")


@pytest.fixture
def signed_in(client, agent, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(agent)
    return client


def navigation(response) -> bool:
    """The top bar of a signed-in user: the links to the offers and to the counter."""
    return f'href="{reverse("offer:search")}"' in response.text and f'href="{reverse("desk:counter")}"' in response.text


def test_404_is_in_the_frame_and_in_french(signed_in):
    response = signed_in.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert navigation(response)


def test_404_follows_the_language_chosen(signed_in):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = signed_in.get("/no/such/page/")
    assert "Page not found" in response.text
    assert 'lang="en"' in response.text


def test_403_gives_the_reason_in_the_frame(signed_in, partner, client):
    client.force_login(partner)
    response = client.get(reverse("desk:counter"))  # read-only partners have no counter
    assert response.status_code == 403
    assert "Action non autorisée" in response.text
    assert f'href="{reverse("offer:search")}"' in response.text


def test_403_without_reason_says_why_in_general_terms(signed_in):
    response = signed_in.get("/boom/forbidden/")
    assert response.status_code == 403
    assert "Votre rôle dans cet office ne permet pas cette action." in response.text


def test_500_is_in_the_frame_and_in_french(signed_in):
    response = signed_in.get("/boom/")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.text
    assert navigation(response)


def test_500_after_a_database_failure(signed_in):
    response = signed_in.get("/boom/database/")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.text


def test_500_without_a_readable_user_is_still_drawn(db):
    """The database is down: reading the user fails; the page is drawn without the user's part of the frame."""

    def unreachable():
        raise DatabaseError("connection refused")

    request = RequestFactory().get("/somewhere/")
    request.user = SimpleLazyObject(unreachable)
    with translation.override("fr"):
        response = server_error(request)
    assert response.status_code == 500
    text = response.content.decode()
    assert "Erreur du serveur" in text
    assert 'lang="fr"' in text
    assert 'action="/i18n/setlang/"' in text  # the frame, without the user's links


def test_csrf_failure_is_in_the_frame(agent, settings):

    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.post(reverse("desk:count_add"))
    assert response.status_code == 403
    assert "Formulaire expiré" in response.text
    assert f'href="{reverse("offer:search")}"' in response.text
