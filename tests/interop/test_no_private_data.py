"""No export, feed or widget carries an office's private data: a visitor's details, a booklet, a provider's staff,
who verified an offer. Every format, aimed at offers that are suggested in a request and put in a booklet."""

from io import BytesIO

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from acvs.desk.models import VisitorRequest
from acvs.offer import exports, providers
from acvs.offer.models import Offer
from tests.conftest import membership
from tests.security.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def secrets(world, db) -> list[str]:
    """Give each side's offers a provider with staff, a verifier, a visitor with a name: all private or personal."""
    found = []
    for side in (world.own, world.other):
        m = membership(side.agent)
        tag = side.office.slug
        provider = providers.provider_save(
            membership=m,
            fields={"name": f"SARL privée ({tag})"},
            contacts=[
                {"name": f"Jeanne Secrète {tag}", "role": "gérante", "phone": "", "email": f"jeanne.{tag}@x.org"}
            ],
        )
        side.agent.last_name = f"Vérificateur-{tag}"
        side.agent.save()
        Offer.objects.filter(pk__in=[side.offer.pk, side.event.pk]).update(
            provider=provider, verified_by=side.agent, verified_at=timezone.now()
        )
        VisitorRequest.objects.filter(pk=side.visitor_request.pk).update(
            name=f"Visiteur Anonymisable {tag}", email=f"visiteur.{tag}@x.org"
        )
        found += [
            f"Jeanne Secrète {tag}",
            f"jeanne.{tag}@x.org",
            f"Vérificateur-{tag}",
            f"Visiteur Anonymisable {tag}",
            f"visiteur.{tag}@x.org",
            side.booklet.title,
            side.booklet.token,
        ]
    return found


def bodies(world) -> dict[str, bytes]:
    """Every format as an agent of the own office (search and one offer of the other office) and every public feed
    and widget as an anonymous visitor."""
    agent = Client()
    agent.force_login(world.own.agent)
    found = {}
    for export in exports.available():
        found[f"search {export.code}"] = agent.get(reverse("offer:export", args=[export.code]), {"all_statuses": "on"})
        for offer in (world.other.offer, world.other.event):
            url = reverse("offer:export_one", args=[offer.pk, export.code])
            found[f"{offer.name} {export.code}"] = agent.get(url)
    anonymous = Client()
    for name in ("interop:events_ics", "interop:widget_offers", "interop:widget_events"):
        found[name] = anonymous.get(reverse(name), {"limit": "50"})
    return found


@pytest.mark.django_db
def test_no_private_data_in_any_export_feed_or_widget(world, secrets):
    found = bodies(world)
    assert len(found) >= 4 * 3 + 3
    names = [world.other.offer.name, world.other.event.name]
    for where, response in found.items():
        assert response.status_code == 200, where
        content = response.content
        if where.endswith("xlsx"):
            sheet = load_workbook(BytesIO(content)).active
            content = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row).encode()
        text = content.decode("utf-8-sig")
        assert not [s for s in secrets if s in text], where
        if where.startswith(tuple(names)):
            assert any(n in text for n in names), where  # the offer itself is there
