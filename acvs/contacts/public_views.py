"""Pages without log-in: an office's public page (framed in its website) and the link confirming a consent."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt

from acvs.core.tenancy import scope_for
from acvs.network import rules
from acvs.network.models import Office

from . import optin, public, selectors
from .forms import PublicForm, newsletter_wording, request_wording


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _language(request) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in dict(settings.LANGUAGES) else "fr"


def _frameable(view):
    """Framed by the offices' websites (ACVS_WIDGET_FRAME_ANCESTORS, as the interop widgets): the site's policy with
    that one directive changed, no X-Frame-Options. No CSRF token: a framed page on another site gets no cookie;
    the signed timestamp and the rate limit guard the form, which acts for nobody logged in."""

    @wraps(view)
    def framed(request, *args, **kwargs):
        policy = {**settings.SECURE_CSP, "frame-ancestors": settings.ACVS_WIDGET_FRAME_ANCESTORS}
        return csp_override(policy)(view)(request, *args, **kwargs)

    return login_not_required(csrf_exempt(xframe_options_exempt(framed)))


@_frameable
def public_page(request, slug):
    office = get_object_or_404(Office, slug=slug, is_active=True)
    lang = _language(request)
    with translation.override(lang), scope_for(office=office):
        context = {"office": office, "lang": lang, "request_text": request_wording(office)}
        if request.method != "POST":
            if sent := request.GET.get("sent"):
                # After a post, redirected here (a reload sends nothing twice): what was sent, never who.
                return render(request, "contacts/public/thanks.html", {**context, "sent": sent})
            form = PublicForm(initial={"started": public.started_token()}, office=office)
            return render(request, "contacts/public/page.html", {**context, "form": form})
        if public.over_rate(request):
            return render(request, "contacts/public/refused.html", context, status=429)
        form = PublicForm(request.POST, office=office)
        valid = form.is_valid()
        if form.data.get("website"):
            form.add_error(None, translation.gettext("This form could not be accepted."))
        elif error := public.fill_time_error(form.data.get("started", "")):
            form.add_error(None, error)
        if valid and not form.errors:
            data = form.cleaned_data
            submission = public.Submission(
                name=data["name"], email=data["email"], language=lang, country=data["country"],
                commune=data["commune"], department=data["commune"].department if data["commune"] else None,
                message=data["message"], newsletter=data["newsletter"],
                newsletter_text=newsletter_wording(office), request_text=request_wording(office),
            )  # fmt: skip
            public.submit(office=office, data=submission, site_url=_site_url(request))
            sent = ("r" if data["message"] else "") + ("n" if data["newsletter"] else "")
            return redirect(f"{request.path}?{urlencode({'lang': lang, 'sent': sent})}")
        # A fresh timestamp: the visitor corrects and sends again; everything typed stays.
        form.data = form.data.copy()
        form.data["started"] = public.started_token()
        return render(request, "contacts/public/page.html", {**context, "form": form}, status=400)


@login_not_required
@csrf_exempt
def confirm(request, token):
    """The link of a confirmation mail: GET shows the text agreed to and a button, POST confirms. The signed link is
    the secret a forged post would need, so no CSRF cookie (with no referrer sent, Chromium posts Origin: null)."""
    context = {"lang": translation.get_language()}
    try:
        mail_pk = optin.mail_id(token)
    except optin.LinkRefused as refused:
        return render(request, "contacts/public/confirm.html", {**context, "refused": refused.reason}, status=400)
    office_id = optin.office_of(mail_pk)
    if office_id is None:
        raise Http404("No such confirmation")
    with scope_for(office=office_id):
        mail = selectors.get_confirmation_mail(mail_pk)
        with translation.override(mail.language):
            context = {"lang": mail.language, "mail": mail, "office": mail.event.office, "event": mail.event}
            status = 200
            if request.method == "POST":
                try:
                    confirmation, fresh = optin.confirm(mail=mail)
                except optin.LinkRefused as refused:
                    context["refused"], status = refused.reason, 409
                else:
                    context.update(confirmed=confirmation, fresh=fresh)
            elif optin.confirmation_of(mail.event):
                context["confirmed"] = optin.confirmation_of(mail.event)
            response = render(request, "contacts/public/confirm.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@rules.requires("contacts.use")
def public_embed(request):
    """The office's public page: its address, the code to paste in the office's website and a preview."""
    office = request.office
    url = request.build_absolute_uri(reverse("contacts:public", args=[office.slug]))
    context = {"office": office, "url": url, "code": public.embed_code(url, office.name)}
    return render(request, "contacts/public/embed.html", context)
