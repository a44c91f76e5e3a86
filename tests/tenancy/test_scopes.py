"""Where scopes are entered: once per request around the view and its rendering (a streaming body too), and left
afterwards; in the worker for each job; by the link of a booklet's web version."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django_scopes import ScopeError, get_scope, scope

from acvs.booklet.models import Booklet
from acvs.network.middleware import OfficeMiddleware

pytestmark = pytest.mark.django_db


def request_of(user):
    request = RequestFactory().get("/")
    request.user, request.session = user, SessionStore()
    return request


def booklet_titles() -> list[str]:
    return list(Booklet.objects.values_list("title", flat=True))


def test_the_view_and_its_rendering_run_in_the_office_scope_which_is_left_afterwards(world):
    seen = {}

    def view(request):
        seen["titles"] = booklet_titles()
        return HttpResponse()

    with scope():
        OfficeMiddleware(view)(request_of(world.users["agent"]))
        assert get_scope() == {"_enabled": True}
        with pytest.raises(ScopeError):
            booklet_titles()
    assert seen["titles"] == ["Séjour (cavalaire)"]


def test_anonymous_visitors_see_no_private_row(world):
    seen = {}

    def view(request):
        seen["titles"] = booklet_titles()
        return HttpResponse()

    with scope():
        OfficeMiddleware(view)(request_of(AnonymousUser()))
    assert seen["titles"] == []


def test_a_streaming_body_is_made_in_the_scope(world):
    def rows():  # queries only when the server reads the body
        for title in booklet_titles():
            yield f"{title}\n"

    def view(request):
        return StreamingHttpResponse(rows())

    with scope():
        response = OfficeMiddleware(view)(request_of(world.users["agent"]))
        body = b"".join(response.streaming_content)  # read after the view returned, as a server does
    assert body.decode() == "Séjour (cavalaire)\n"


def test_the_public_link_opens_its_booklet_in_its_office_scope(client, world):
    response = client.get(f"/booklets/b/{world.other.booklet.token}/")
    assert response.status_code == 200
    assert "Séjour (la-croix-valmer)" in response.content.decode()
    assert client.get("/booklets/b/" + "x" * 32 + "/").status_code == 404
