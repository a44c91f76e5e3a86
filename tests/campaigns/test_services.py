import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from acvs.campaigns import render, selectors, sending, services
from acvs.campaigns.models import Block, Campaign, Recipient
from acvs.contacts.models import ContactEmail
from tests.conftest import membership

from .conftest import SITE, jpeg, person, soon

pytestmark = pytest.mark.django_db


def test_audience_keeps_consented_contacts_and_says_why_others_are_left_out(agent, other_agent, campaign):
    ann = person(agent, "Ann", "ann@example.org", language="en")
    person(agent, "Bob", "bob@example.org", consent=None)  # never asked
    person(agent, "Carl", "carl@example.org", consent=False)  # withdrew
    person(agent, "Dora", "", consent=True)  # no address
    bounced = person(agent, "Eve", "eve@example.org")
    ContactEmail.objects.filter(contact=bounced).update(undeliverable_at=timezone.now())
    erased = person(agent, "Fred", "fred@example.org")
    erased.erased_at = timezone.now()
    erased.save()
    person(agent, "Gus", "gus@example.org", purpose="network")  # consent for another purpose only
    person(agent, "Hans", "hans@example.org", country="AT")  # not in the segment
    person(other_agent, "Ida", "ida@example.org")  # another office's German contact

    found = selectors.audience(campaign)
    assert found.recipients == [(ann.pk, "ann@example.org", "en")]
    assert found.excluded == {"erased": 1, "no_consent": 2, "unsubscribed": 1, "no_email": 1, "undeliverable": 1}


def test_images_are_resized_and_weighed(agent, campaign, media):
    block = services.block_save(
        membership=membership(agent), campaign=campaign, block=None, language="fr", kind=Block.Kind.IMAGE,
        text="Le port", credit="OT Cavalaire", image=jpeg(),
    )  # fmt: skip
    from PIL import Image

    with Image.open(media / block.image.name) as picture:
        assert picture.size == (1200, 800)
        assert picture.format == "JPEG"
    assert block.image_bytes == (media / block.image.name).stat().st_size
    rendered = render.render_language(campaign, "fr", SITE)
    assert rendered.image_bytes == block.image_bytes
    assert f'src="{SITE}/media/{block.image.name}"' in rendered.html
    assert "© OT Cavalaire" in rendered.html


def test_not_an_image_and_a_missing_credit_are_refused(agent, campaign):
    m = membership(agent)
    with pytest.raises(ValidationError, match="not an image"):
        services.block_save(membership=m, campaign=campaign, block=None, language="fr", kind=Block.Kind.IMAGE,
                            credit="X", image=jpeg(fmt="PNG").__class__("x.png", b"not a picture"))  # fmt: skip
    with pytest.raises(ValidationError, match="photographer"):
        services.block_save(membership=m, campaign=campaign, block=None, language="fr", kind=Block.Kind.IMAGE,
                            image=jpeg())  # fmt: skip
    assert not campaign.blocks.filter(kind=Block.Kind.IMAGE).exists()


def test_malformed_merge_field_is_refused(agent, campaign):
    with pytest.raises(ValidationError, match="unknown merge field"):
        services.block_save(membership=membership(agent), campaign=campaign, block=None, language="fr",
                            kind=Block.Kind.TEXT, text="Bonjour {prenom}")  # fmt: skip
    with pytest.raises(ValidationError, match="brace"):
        services.block_save(membership=membership(agent), campaign=campaign, block=None, language="fr",
                            kind=Block.Kind.TEXT, text="Bonjour {name")  # fmt: skip


def test_a_missing_image_file_stops_the_schedule_with_the_block_named(agent, campaign, media):
    block = services.block_save(membership=membership(agent), campaign=campaign, block=None, language="fr",
                                kind=Block.Kind.IMAGE, credit="OT", image=jpeg())  # fmt: skip
    (media / block.image.name).unlink()
    person(agent, "Ann", "ann@example.org")
    with pytest.raises(ValidationError, match=r"Block 4 \(Image, fr\): the image file is missing"):
        services.campaign_schedule(membership=membership(agent), campaign=campaign, at=soon(), site_url=SITE)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_schedule_refuses_the_past_and_an_empty_audience(agent, campaign):
    m = membership(agent)
    with pytest.raises(ValidationError, match="future"):
        services.campaign_schedule(membership=m, campaign=campaign, at=soon(-5), site_url=SITE)
    with pytest.raises(ValidationError, match="Nobody in these segments"):
        services.campaign_schedule(membership=m, campaign=campaign, at=soon(), site_url=SITE)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.scheduled_at) == (Campaign.Status.DRAFT, None)


def test_message_is_multipart_with_one_click_unsubscribe_and_verp_sender(agent, campaign, settings):
    settings.ACVS_BOUNCES_ADDRESS = "bounces@acvs.example"
    settings.ACVS_CAMPAIGN_RATE = 1000
    ann = person(agent, "Ann Smith", "ann@example.org", language="en")
    person(agent, "Jean", "jean@example.org", language="fr")
    services.campaign_schedule(membership=membership(agent), campaign=campaign, at=soon(1), site_url=SITE)
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    assert sending.campaign_run(campaign.pk) == "sent"
    assert len(mail.outbox) == 2
    sent = next(m for m in mail.outbox if m.to == ["ann@example.org"])
    recipient = Recipient.objects.get(contact=ann)
    assert recipient.status == Recipient.Status.SENT
    assert sent.from_email == sending.verp.return_path("campaign", recipient.pk)
    message = sent.message()  # the bytes the mail server gets, parsed
    assert message["Subject"] == "Spring in Office de tourisme de Cavalaire"
    assert message["To"] == "ann@example.org"
    assert message["From"].endswith("<no-reply@acvs.example>")
    assert message["Message-ID"] == recipient.message_id
    unsubscribe = f"{SITE}/campaigns/u/{render.link_token(recipient.pk)}/"
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "Hello Ann Smith" in html
    assert unsubscribe in html
    assert "Unsubscribe" in html
    assert "Hello Ann Smith" in text
    assert unsubscribe in text
    assert 'name="color-scheme" content="light only"' in html
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_a_bounce_marks_the_recipient(agent, campaign, settings):
    settings.ACVS_BOUNCES_ADDRESS = "bounces@acvs.example"
    person(agent, "Ann", "ann@example.org")
    services.campaign_schedule(membership=membership(agent), campaign=campaign, at=soon(1), site_url=SITE)
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    sending.campaign_run(campaign.pk)
    recipient = Recipient.objects.get()
    path = sending.verp.return_path("campaign", recipient.pk)
    assert sending.verp.handle(path, sending.verp.Bounce("ann@example.org", hard=True, status="5.1.1"))
    recipient.refresh_from_db()
    assert recipient.status == Recipient.Status.BOUNCED


def test_pause_resume_cancel(agent, campaign):
    m = membership(agent)
    person(agent, "Ann", "ann@example.org")
    services.campaign_schedule(membership=m, campaign=campaign, at=soon(), site_url=SITE)
    services.campaign_pause(membership=m, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    assert sending.campaign_run(campaign.pk) == "nothing to do (paused)"
    services.campaign_resume(membership=m, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED
    services.campaign_cancel(membership=m, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.campaign_cancel(membership=m, campaign=campaign)
    assert not mail.outbox


def test_another_office_cannot_change_a_campaign(other_agent, campaign):
    with pytest.raises(PermissionDenied):
        services.campaign_pause(membership=membership(other_agent), campaign=campaign)


def test_calendar_shows_the_years_planned_campaigns(agent, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SCHEDULED, scheduled_at=datetime.datetime(2027, 5, 12, 9, tzinfo=datetime.UTC)
    )
    months = selectors.year_calendar(2027)
    assert [c.pk for c in months[4][1]] == [campaign.pk]
    assert sum(len(items) for _m, items in months) == 1
