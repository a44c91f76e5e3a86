"""Markup typed into any form comes back as text: on every page, htmx fragment, booklet (web and PDF) and export.

Every form of the catalogue that stores text saves markup of several shapes (script element, event handler,
attribute-breaking quotes), each also starting like a spreadsheet formula; URL fields get `javascript:`. Then every
page is read (plain, and as htmx asks for it, and with the markup in its query) and checked: no element or attribute
comes from the data, no payload appears unescaped, exports neutralise formulas, the PDF shows the markup as text.
"""

import csv
import io
import itertools
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.db import transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from acvs.booklet import render

from .routes import ROUTES, params, path
from .world import login

PAYLOADS = (
    '=<script>alert("xss1")</script>',
    '+<img src=x onerror=alert("xss2")>',
    '-"><svg onload=alert("xss3")>',
    "@' onmouseover='alert(4)' data-x='",
    '=" onfocus="alert(5)" autofocus="',
)
URL_PAYLOAD = "javascript:alert(6)"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
JSON_SCRIPT = re.compile(r'<script[^>]*type="application/json"[^>]*>.*?</script>', re.S)


class MarkupCheck(HTMLParser):
    """Elements and attributes that came from the data: every payload calls alert(), no template does."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and "alert(" in value:
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and value.startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if tag == "img" and name == "src" and value == "x":
                self.problems.append('<img src="x">')
        # json_script's JSON has <, > and & escaped: data there is inert.
        self.in_script = tag == "script" and dict(attrs).get("type") != "application/json"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.problems.append(f"<script>{data[:40]}")


def markup_problems(body: str) -> list[str]:
    check = MarkupCheck()
    check.feed(body)
    # JSON in pages is json_script's (<, > and & escaped); quotes stay raw there and are harmless.
    text = JSON_SCRIPT.sub("", body)
    return check.problems + [f"raw {payload!r}" for payload in PAYLOADS if payload in text]


def payloads():
    """The shapes in turn, each with a number: values stay distinct (names are unique) and each field's is known."""
    for number in itertools.count(1):
        yield f"{PAYLOADS[number % len(PAYLOADS)]} {number}"


def save_payloads(client, world, prefix: str = "") -> list[str]:
    """Post every text-storing form (of the routes named `prefix`…) with markup in its text fields; URL fields apart
    (they must be refused)."""
    failures, typed = [], payloads()
    for name, route in ROUTES.items():
        if "POST" not in route.methods or not (route.text or route.urls) or not name.startswith(prefix):
            continue
        login(client, world, route.actor)
        world.refresh()
        url = path(name, world, world.own)
        query = params(route.query, world, world.own)
        target = f"{url}?{urlencode(query, doseq=True)}" if query else url
        if route.text:
            form = params(route.form, world, world.own)
            form.update({field: next(typed) for field in route.text})
            response = client.post(target, form, follow=True)
            if not response.redirect_chain:
                failures.append(f"{name}: not saved (status {response.status_code})")
            failures += [f"{name} (after saving): {p}" for p in markup_problems(response.content.decode())]
        if route.urls:
            form = params(route.form, world, world.own) | dict.fromkeys(route.urls, URL_PAYLOAD)
            response = client.post(target, form)
            if response.status_code != 400:
                failures.append(f"{name}: a javascript: address was not refused (status {response.status_code})")
            failures += [f"{name} (javascript: refused): {p}" for p in markup_problems(response.content.decode())]
    return failures


def read_everything(client, world) -> tuple[list[str], str]:
    """Every GET route as its actor: plain, with markup in its query, as htmx; htmx posts in a rolled-back savepoint.
    Returns the problems and all HTML read (to check the payloads were shown at all)."""
    failures, seen = [], []
    for name, route in ROUTES.items():
        login(client, world, route.actor)
        url = path(name, world, world.own)
        query = params(route.query, world, world.own)
        hostile = {key: PAYLOADS[i % len(PAYLOADS)] for i, key in enumerate(query)}
        requests = []
        if "GET" in route.methods:
            requests += [("GET", query, {})] + ([("GET", hostile, {})] if hostile else [])
            if route.htmx is not None:
                requests += [("GET", query, {"HX-Request": "true", **route.htmx})]
        if "POST" in route.methods and route.htmx is not None:
            requests += [("POST", params(route.form, world, world.own), {"HX-Request": "true", **route.htmx})]
        for method, data, headers in requests:
            with transaction.atomic():
                send = client.get if method == "GET" else client.post
                response = send(url, data, headers=headers)
                transaction.set_rollback(True)
            where = f"{method} {name}{' htmx' if headers else ''}{' (markup in the query)' if data is hostile else ''}"
            kind = response.get("Content-Type", "")
            if kind.startswith("text/html"):
                body = response.content.decode()
                seen.append(body)
                failures += [f"{where}: {p}" for p in markup_problems(body)]
            elif kind.startswith(("text/csv", "application/vnd.openxmlformats")):
                failures += [f"{where}: formula cell {c!r}" for c in export_cells(response) if is_formula(c)]
    return failures, "\n".join(seen)


def is_formula(cell: str) -> bool:
    """A cell a spreadsheet would run (a negative quantity is a number, not a formula)."""
    return cell[:1] in FORMULA_START and not NUMBER.match(cell)


def export_cells(response) -> list[str]:
    if response["Content-Type"].startswith("text/csv"):
        rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";")
    else:
        rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    return [cell for row in rows for cell in row if isinstance(cell, str)]


def test_markup_saved_through_every_form_comes_back_as_text(client, world, uninstrumented):
    saved = save_payloads(client, world)
    read, html = read_everything(client, world)
    if saved + read:
        pytest.fail("\n".join(saved + read), pytrace=False)
    # The payloads were shown, escaped (otherwise the checks above proved nothing).
    for payload in PAYLOADS:
        assert (
            payload.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
            .replace("'", "&#x27;")
            in html
        ), payload


def test_exports_neutralise_formulas_typed_into_forms(client, world, uninstrumented):
    assert save_payloads(client, world, "documentation:") == []
    login(client, world, "agent")
    cells = []
    for name, fmt in (("documentation:stock_export", "csv"), ("documentation:stock_export", "xlsx"),
                      ("documentation:movement_export", "csv"), ("documentation:movement_export", "xlsx")):  # fmt: skip
        cells += export_cells(client.get(path(name, world, world.own, fmt=fmt)))
    assert [cell for cell in cells if is_formula(cell)] == []
    world.own.document.refresh_from_db()
    assert "'" + world.own.document.title in cells  # as typed in the form, neutralised


def test_the_booklet_pdf_shows_markup_as_text(client, world, uninstrumented):
    assert save_payloads(client, world, "booklet:") == []
    booklet = world.own.booklet
    booklet.refresh_from_db()
    assert markup_problems(render.pdf_html(booklet, site_url="http://testserver")) == []
    login(client, world, "agent")
    pdf = PdfReader(io.BytesIO(client.get(path("booklet:pdf", world, world.own)).content))
    text = "".join("".join(page.extract_text().split()) for page in pdf.pages)  # lines may break anywhere
    # Title, greeting and closing of the booklet: drawn as typed, not run as markup.
    for typed in (booklet.title, booklet.greeting, booklet.closing):
        assert "".join(typed.split()) in text
