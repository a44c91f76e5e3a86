"""A campaign's messages as the bytes sent to the mail server, made fast: the MIME structure of each language is
built once (headers shared by every recipient, the boundary, the parts' headers), and each recipient's message is
that skeleton with the recipient's values put in by string replacement (address, Message-ID, greeting, the signed
unsubscribe, preferences and tracking links), its two parts then encoded as quoted-printable by binascii.

The result is an ordinary multipart/alternative message (text/plain then text/html, UTF-8, quoted-printable, CRLF
line ends), RFC 2369/8058 unsubscribe headers included; test_sending.py parses what the SMTP server received.
"""

import binascii
import html
import re
import secrets
import time
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from . import render, tracking
from .models import Campaign

CRLF = "\r\n"
PIXEL = "\x1fPIXEL\x1f"
PIXEL_SPOT = "</body>"  # the open pixel goes just before it
# The links of the HTML part that tracking may rewrite (the unsubscribe and preferences links are markers, not http).
_HREF = re.compile(r'href="(https?://[^"]+)"')
# Around a link written in the plain-text part: what may stand before it, and after it before a space or the end.
_TEXT_BEFORE = r"(?<![^\s(\[<«'\"])"
_TEXT_AFTER = r"(?=[.,;:!?)\]>»'\"]*(?:\s|$))"


def domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "acvs.invalid"


def from_header(campaign: Campaign) -> str:
    return formataddr((campaign.office.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def _header(name: str, value: str) -> str:
    if value.isascii() and len(name) + len(value) < 76 and "\r" not in value and "\n" not in value:
        return f"{name}: {value}{CRLF}"
    return f"{name}: {Header(value, 'utf-8', header_name=name).encode(linesep=CRLF)}{CRLF}"


def _qp(text: str) -> bytes:
    return binascii.b2a_qp(text.replace("\r\n", "\n").replace("\n", CRLF).encode(), istext=True)


class _Language:
    """One language's message with the recipient's values as markers; the HTML cut at its trackable links."""

    def __init__(self, rendered: render.Rendered):
        self.subject = rendered.subject
        # The same for every recipient unless it names them.
        self.subject_header = None if render.NAME in self.subject else _header("Subject", self.subject)
        pieces = _HREF.split(rendered.html)
        # pieces: html, url, html, url, …, html (the urls as written in the HTML, entities escaped)
        self.html_pieces = pieces[0::2]
        self.urls = [html.unescape(url) for url in pieces[1::2]]
        self.escaped_urls = pieces[1::2]
        self.quoted_urls = [quote(url, safe="") for url in self.urls]
        if PIXEL_SPOT in self.html_pieces[-1]:
            self.html_pieces[-1] = self.html_pieces[-1].replace(PIXEL_SPOT, PIXEL + PIXEL_SPOT, 1)
        # The plain-text part cut at the same links (those the HTML part links to, written whole in the text), so
        # that both parts carry the same tracked links.
        self.text_pieces, self.text_urls = [rendered.text], []
        if self.urls:
            written = "|".join(re.escape(url) for url in sorted(set(self.urls), key=len, reverse=True))
            pieces = re.split(f"{_TEXT_BEFORE}({written}){_TEXT_AFTER}", rendered.text)
            self.text_pieces, self.text_urls = pieces[0::2], pieces[1::2]


def _interleave(pieces: list[str], urls: list[str]) -> str:
    """pieces[0] urls[0] pieces[1] … pieces[-1]."""
    if not urls:
        return pieces[0]
    out = [pieces[0]]
    for url, piece in zip(urls, pieces[1:], strict=True):
        out.append(url)
        out.append(piece)
    return "".join(out)


class Composer:
    """Builds every message of one campaign run; `message()` costs a few string replacements and two encodings."""

    def __init__(self, campaign: Campaign, rendered: dict[str, render.Rendered]):
        self.site_url = campaign.site_url
        self.languages = {code: _Language(r) for code, r in rendered.items()}
        self.boundary = f"=_acvs_{secrets.token_hex(12)}"
        office = campaign.office
        shared = [
            _header("From", from_header(campaign)),
            # RFC 8058: mail programs show an unsubscribe button that POSTs to the link, without log-in.
            _header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            _header("List-Id", f"{office.name} <campaigns.{office.id}.{domain()}>"),
        ]
        if office.email:
            shared.append(_header("Reply-To", office.email))
        shared.append(f"MIME-Version: 1.0{CRLF}")
        shared.append(f'Content-Type: multipart/alternative; boundary="{self.boundary}"{CRLF}{CRLF}')
        self.shared = "".join(shared).encode()
        part = f'--{self.boundary}{CRLF}Content-Type: %s; charset="utf-8"{CRLF}'
        part += f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}"
        self.text_head = (part % "text/plain").encode()
        self.html_head = (CRLF + part % "text/html").encode()
        self.end = f"{CRLF}--{self.boundary}--{CRLF}".encode()
        self._date, self._date_at = "", 0.0
        # The links' shapes, reversed once: a recipient's links are these with the token or signature put in.
        token = "ACVSTOKENMARK"
        self.unsubscribe = render.absolute(self.site_url, reverse("campaigns:unsubscribe", args=[token])).split(token)
        self.preferences = render.absolute(self.site_url, reverse("campaigns:preferences", args=[token])).split(token)
        self.pixel = render.absolute(self.site_url, reverse("campaigns:open", args=[token])).split(token)
        click = render.absolute(self.site_url, reverse("campaigns:click", args=[987654321987, token]))
        self.click = click.replace("987654321987", "\x00").replace(token, "\x00").split("\x00")

    def date(self) -> str:
        now = time.time()
        if now - self._date_at >= 1:
            self._date, self._date_at = formatdate(now, localtime=False), now
        return self._date

    def message(self, *, pk: int, email: str, name: str, language: str, message_id: str, track: bool) -> bytes:
        lang = self.languages[language]
        token = render.link_token(pk)
        unsubscribe = token.join(self.unsubscribe)
        preferences = token.join(self.preferences)
        values = ((render.NAME, name), (render.UNSUBSCRIBE, unsubscribe), (render.PREFERENCES, preferences))
        urls, text_urls = lang.escaped_urls, lang.text_urls
        if track:
            # The click redirect: …/c/<pk>/<signature>/?u=<destination> ("&" needs no escaping: there is none); the
            # same link in both parts.
            head, middle, tail = self.click
            tracked = {
                url: f"{head}{pk}{middle}{tracking.signature(pk, url)}{tail}?u={quoted}"
                for url, quoted in zip(lang.urls, lang.quoted_urls, strict=True)
            }
            urls = [tracked[url] for url in lang.urls]
            text_urls = [tracked[url] for url in lang.text_urls]
        subject, text = lang.subject, _interleave(lang.text_pieces, text_urls)
        for marker, value in values:
            if marker in subject:
                subject = subject.replace(marker, value)
            text = text.replace(marker, value)
        out = []
        for piece, url in zip(lang.html_pieces, urls, strict=False):
            out.append(piece)
            out.append('href="')
            out.append(url)
            out.append('"')
        out.append(lang.html_pieces[-1])
        body_html = "".join(out)
        for marker, value in values:
            body_html = body_html.replace(marker, html.escape(value))
        pixel = ""
        if track:
            pixel = (f'<img src="{html.escape(token.join(self.pixel))}" width="1" height="1" alt="" '
                     'style="display:block; width:1px; height:1px; border:0;">')  # fmt: skip
        body_html = body_html.replace(PIXEL, pixel)
        head = (
            (lang.subject_header or _header("Subject", subject)) + _header("To", email) + f"Date: {self.date()}{CRLF}"
            + f"Message-ID: {message_id}{CRLF}" + f"List-Unsubscribe: <{unsubscribe}>{CRLF}"
        )  # fmt: skip
        return b"".join(
            (head.encode(), self.shared, self.text_head, _qp(text), self.html_head, _qp(body_html), self.end)
        )
