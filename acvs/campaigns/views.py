"""Thin views of campaigns: every campaign is read through `selectors` (the acting office's only). The
unsubscribe and preferences pages are public: their signed link is the right to use them."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from acvs.contacts.forms import CONSENT_WORDING
from acvs.contacts.models import Purpose
from acvs.core.forms import attach_errors
from acvs.core.tenancy import owner_office_id, scope_for
from acvs.network import rules

from . import render as email_render
from . import returns, selectors, services, tracking
from .forms import (
    BlockForm,
    CampaignForm,
    PreferencesForm,
    ReturnsForm,
    ScheduleForm,
    TestForm,
    WindowForm,
    YearForm,
)
from .models import Block, Campaign, Recipient


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _campaign(request, pk) -> Campaign:
    """The acting office's campaign (404 for another office's); a département's or the network's campaign only for
    those who may prepare one (403 for the office's other staff)."""
    campaign = selectors.get_campaign(pk)
    if campaign.reach not in rules.campaign_reaches(request.membership):
        raise PermissionDenied(str(rules.RULES["campaigns.network"].refusal))
    return campaign


@rules.requires("contacts.use")
def campaign_list(request):
    context = {
        "campaigns": selectors.campaigns().filter(reach__in=rules.campaign_reaches(request.membership)),
        "tracking": tracking.office_tracks(request.membership.office_id),
        "can_set_tracking": rules.can_change_desk_settings(request.membership),
    }
    return render(request, "campaigns/campaign_list.html", context)


@rules.requires("contacts.use")
def calendar(request):
    form = YearForm(request.GET)
    year = (form.is_valid() and form.cleaned_data["year"]) or timezone.localdate().year
    context = {"year": year, "months": selectors.year_calendar(year)}
    return render(request, "campaigns/calendar.html", context)


@rules.requires("contacts.use")
def campaign_create(request):
    form = CampaignForm(request.POST or None, reaches=rules.campaign_reaches(request.membership))
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = services.campaign_save(
                    membership=request.membership, campaign=None, name=form.cleaned_data["name"],
                    purpose=form.cleaned_data["purpose"], subjects=form.subjects(),
                    segments=form.cleaned_data["segments"], reach=form.chosen_reach(),
                )  # fmt: skip
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Campaign created: add its blocks."))
                return redirect("campaigns:detail", campaign.pk)
        return render(request, "campaigns/campaign_form.html", {"form": form}, status=400)
    return render(request, "campaigns/campaign_form.html", {"form": form})


def _detail(request, campaign, *, status=200, **forms):
    found, problems = None, []
    if campaign.status in services.EDITABLE:
        found = selectors.audience_counts(campaign)  # a network campaign: counts, never a list
        try:
            rendered = email_render.render_all(campaign, _site(request))
        except ValidationError as error:
            problems, rendered = error.messages, {}
    else:
        rendered = {}
    stalled = (
        campaign.status == Campaign.Status.SENDING
        and campaign.heartbeat_at is not None
        and (timezone.now() - campaign.heartbeat_at).total_seconds() > settings.ACVS_JOB_STALE_SECONDS
    )
    blocks = list(campaign.blocks.all().prefetch_related("offers"))
    window = WindowForm(request.GET)
    days = (window.is_valid() and window.cleaned_data["days"]) or campaign.return_days
    context = {
        "campaign": campaign,
        "languages": [(code, email_render.language_label(code), subject, [b for b in blocks if b.language == code],
                       rendered.get(code)) for code, subject in campaign.subjects.items()],
        "problems": problems,
        "audience": found,
        "progress": selectors.progress(campaign),
        "figures": selectors.figures(campaign) if campaign.started_at else None,
        "tracking": tracking.office_tracks(campaign.office_id),
        "editable": campaign.status in services.EDITABLE and campaign.started_at is None,
        "stalled": stalled,
        "settings_form": forms.get("settings_form") or CampaignForm(initial=CampaignForm.initial_for(campaign)),
        "block_form": forms.get("block_form") or BlockForm(campaign=campaign),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(
            initial={"at": timezone.localtime(campaign.scheduled_at) if campaign.scheduled_at else None}),
        "test_form": TestForm(campaign=campaign),
        # The sender of a network campaign sees counts only: no address, no name.
        "failures": [] if campaign.is_network else campaign.recipients.filter(
            status__in=[Recipient.Status.FAILED, Recipient.Status.UNCERTAIN, Recipient.Status.BOUNCED])[:50],
        "returns": returns.campaign_returns(campaign, days=days) if campaign.started_at else None,
        "windows": sorted({*returns.WINDOWS, campaign.return_days, days}),
        "returns_form": forms.get("returns_form") or ReturnsForm(
            initial={"cost": campaign.cost, "return_days": campaign.return_days}),
    }  # fmt: skip
    return render(request, "campaigns/campaign_detail.html", context, status=status)


@rules.requires("contacts.use")
def campaign_detail(request, pk):
    return _detail(request, _campaign(request, pk))


@require_POST
@rules.requires("contacts.use")
def campaign_edit(request, pk):
    campaign = _campaign(request, pk)
    form = CampaignForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_save(
                membership=request.membership, campaign=campaign, name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"], subjects=form.subjects(), segments=form.cleaned_data["segments"],
            )  # fmt: skip
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("campaigns:detail", campaign.pk)
    return _detail(request, campaign, status=400, settings_form=form)


@require_POST
@rules.requires("contacts.use")
def returns_save(request, pk):
    campaign = _campaign(request, pk)
    form = ReturnsForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_returns_save(
                membership=request.membership, campaign=campaign, cost=form.cleaned_data["cost"],
                return_days=form.cleaned_data["return_days"],
            )  # fmt: skip
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Cost and return window saved."))
            return redirect(f"{reverse('campaigns:detail', args=[campaign.pk])}#returns")
    return _detail(request, campaign, status=400, returns_form=form)


@require_POST
@rules.requires("contacts.use")
def block_add(request, pk):
    campaign = _campaign(request, pk)
    form = BlockForm(request.POST, request.FILES, campaign=campaign)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.block_save(
                membership=request.membership, campaign=campaign, block=None, language=data["language"],
                kind=data["kind"], text=data["text"], url=data["url"], credit=data["credit"], image=data["image"],
                offers=list(data["offers"]),
            )  # fmt: skip
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Block added."))
            return redirect(f"{reverse('campaigns:detail', args=[campaign.pk])}#lang-{data['language']}")
    return _detail(request, campaign, status=400, block_form=form)


def _block(campaign, block_pk) -> Block:
    block = campaign.blocks.filter(pk=block_pk).first()
    if block is None:
        raise Http404("No such block")
    return block


@require_POST
@rules.requires("contacts.use")
def block_delete(request, pk, block_pk):
    campaign = _campaign(request, pk)
    try:
        services.block_delete(membership=request.membership, block=_block(campaign, block_pk))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("campaigns:detail", campaign.pk)


@require_POST
@rules.requires("contacts.use")
def block_move(request, pk, block_pk):
    campaign = _campaign(request, pk)
    try:
        services.block_move(
            membership=request.membership, block=_block(campaign, block_pk), up=request.POST.get("up") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("campaigns:detail", campaign.pk)


# The email as it will be sent: its own inline styles, shown in a frame of the editor (desktop and phone widths).
EMAIL_PREVIEW_POLICY = {
    "default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "img-src": ["'self'", "data:", "https:"],
    "frame-ancestors": ["'self'"],
}  # fmt: skip


@csp_override(EMAIL_PREVIEW_POLICY)
@xframe_options_sameorigin
@rules.requires("contacts.use")
def preview(request, pk, language):
    campaign = _campaign(request, pk)
    if language not in campaign.subjects:
        raise Http404("No such language")
    try:
        rendered = email_render.render_language(campaign, language, _site(request))
    except ValidationError as error:
        return render(request, "campaigns/preview_error.html", {"problems": error.messages}, status=400)
    _subject, body, _text = email_render.personalise(rendered, name=request.user.get_full_name(), unsubscribe="#",
                                                    preferences="#")  # fmt: skip
    return HttpResponse(body)


@require_POST
@rules.requires("contacts.use")
def send_test(request, pk):
    campaign = _campaign(request, pk)
    form = TestForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            to = services.campaign_send_test(
                membership=request.membership, campaign=campaign, language=form.cleaned_data["language"],
                site_url=_site(request),
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, _("Test not sent: %(reasons)s") % {"reasons": " ".join(error.messages)})
        else:
            messages.success(request, _("Test sent to %(to)s.") % {"to": to})
    else:
        messages.error(request, _("Choose the language of the test."))
    return redirect("campaigns:detail", campaign.pk)


@require_POST
@rules.requires("contacts.use")
def schedule(request, pk):
    campaign = _campaign(request, pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            found = services.campaign_schedule(
                membership=request.membership, campaign=campaign, at=form.cleaned_data["at"], site_url=_site(request)
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            when = timezone.localtime(form.cleaned_data["at"])
            messages.success(request, _("Campaign planned for %(when)s: %(count)s recipients.") % {
                "when": when.strftime("%d/%m/%Y %H:%M"), "count": found.count})  # fmt: skip
            return redirect("campaigns:detail", campaign.pk)
    return _detail(request, campaign, status=400, schedule_form=form)


def _state_change(service, done: str):
    @require_POST
    @rules.requires("contacts.use")
    def view(request, pk):
        campaign = _campaign(request, pk)
        try:
            service(membership=request.membership, campaign=campaign)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect("campaigns:detail", campaign.pk)

    return view


pause = _state_change(services.campaign_pause, _("Campaign paused."))
resume = _state_change(services.campaign_resume, _("Campaign resumed."))
cancel = _state_change(services.campaign_cancel, _("Campaign cancelled."))


# The recipients' links -------------------------------------------------------------------------------------------


class BadLink(Exception):
    pass


def _recipient(token: str):
    """(recipient's id, its office) named by a signed link; BadLink for a link we did not sign."""
    pk = email_render.link_recipient_pk(token)
    office_id = owner_office_id(Recipient, pk=pk) if pk else None
    if office_id is None:
        raise BadLink
    return pk, office_id


def _bad_link(request):
    return render(request, "campaigns/bad_link.html", {"lang": translation.get_language()}, status=404)


@csrf_exempt  # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" with no cookie, no token
@login_not_required
def unsubscribe(request, token):
    try:
        pk, office_id = _recipient(token)
    except BadLink:
        return _bad_link(request)
    with scope_for(office=office_id):
        recipient = selectors.recipient_by_link(pk)
        with translation.override(recipient.language):
            text = services.unsubscribe_text(recipient)
            done = False
            if request.method == "POST":
                one_click = request.POST.get("List-Unsubscribe") == "One-Click"
                origin = (
                    _("One-click link of the campaign “%(name)s”")
                    if one_click
                    else _("Unsubscribe page of the campaign “%(name)s”")
                )
                services.unsubscribe(recipient=recipient, text=text, origin=origin % {"name": recipient.campaign.name})
                done = True
            context = {"recipient": recipient, "office": recipient.campaign.office, "text": text, "done": done,
                       "token": token, "lang": recipient.language}  # fmt: skip
            return render(request, "campaigns/unsubscribe.html", context)


@login_not_required
def preferences(request, token):
    try:
        pk, office_id = _recipient(token)
    except BadLink:
        return _bad_link(request)
    with scope_for(office=office_id):
        recipient = selectors.recipient_by_link(pk)
        contact = recipient.contact
        with translation.override(recipient.language):
            texts = {purpose: str(CONSENT_WORDING[purpose]) for purpose in Purpose.values}
            current = {}
            for event in contact.consents.order_by("at", "id"):
                current[event.purpose] = event.given
            initial = {f"purpose_{p}": given for p, given in current.items()} | {
                "language": contact.language, "tracking": tracking.contact_tracks(contact)}  # fmt: skip
            form = PreferencesForm(request.POST or None, texts=texts, initial=initial)
            status, saved = 200, False
            if request.method == "POST":
                if form.is_valid():
                    services.preferences_save(recipient=recipient, wanted=form.wanted(), texts=texts,
                                              language=form.cleaned_data["language"])  # fmt: skip
                    tracking.contact_set(contact, form.cleaned_data["tracking"])
                    saved = True
                else:
                    status = 400
            context = {"form": form, "office": recipient.campaign.office, "saved": saved, "token": token,
                       "lang": recipient.language}  # fmt: skip
            return render(request, "campaigns/preferences.html", context, status=status)
