"""Hostile input never gets a server error: every route of the catalogue, every parameter, as the roles that use it.

Each request runs in a savepoint rolled back afterwards, so every probe starts from the same world and a database
error cannot spoil the next one. A bad return address (`next`) must not stop a valid change: the change is saved
(the base request still redirects) and the redirect stays on this site.
"""

import copy
import re
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from acvs.core.forms import FIRST_DATE, LAST_DATE

from .fuzz import NEXT, PATH_INTS, PATH_STRS, Probe, family, mutations
from .routes import ROUTES, params, path
from .world import login

SENTINEL_INT, SENTINEL_STR = 987654321987, "sentinelzz"
ALERT = re.compile(r'role="alert"[^>]*>(.*?)</(?:p|div|small|span|ul)>', re.S)


def send(client, method: str, url: str, probe: Probe, headers: dict, *, keep: bool = False):
    """The response, or the exception the view raised; the database (unless `keep`) and the client's cookies are
    left as they were (a log-out or log-in does not carry over to the next probe)."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, probe.query, headers=headers)
            else:
                target = f"{url}?{urlencode(probe.query, doseq=True)}" if probe.query else url
                response = client.post(target, probe.form, headers=headers)
            transaction.set_rollback(not keep)
            return response
    except Exception as error:  # noqa: BLE001 — reported with the probe that caused it
        return error
    finally:
        client.cookies = cookies


def path_probes(name, world) -> list[tuple[str, Probe]]:
    """The route's path with each parameter replaced by ids beyond 2^63 and odd strings."""
    route = ROUTES[name]
    kwargs = route.kwargs(world, world.own) if route.kwargs else {}
    found = []
    for key, value in kwargs.items():
        sentinel = SENTINEL_INT if isinstance(value, int) else SENTINEL_STR
        try:
            url = reverse(name, kwargs={**kwargs, key: sentinel})
        except NoReverseMatch:  # a parameter limited to a few words (export formats): nothing else reaches the view
            continue
        bad_values = PATH_INTS if isinstance(value, int) else PATH_STRS
        for bad in bad_values:
            found.append((url.replace(str(sentinel), quote(bad)), Probe("path", {key: bad})))
    return found


def probes(name, world) -> list[tuple[str, str, Probe]]:
    """(method, url, probe) for every hostile request of the route."""
    route = ROUTES[name]
    own = world.own
    url = path(name, world, own)
    base_query, base_form = params(route.query, world, own), params(route.form, world, own)
    found = []
    for bad_url, probe in path_probes(name, world):  # refused by the resolver, whatever the method
        probe.query, probe.form = base_query, params(route.form, world, own)
        found.append((route.methods[0], bad_url, probe))
    for method in route.methods:
        if method == "GET":
            for changed in mutations(base_query, route.text):
                found.append((method, url, Probe("query", changed, query={**base_query, **changed})))
        else:
            for changed in mutations(base_form, route.text):
                form = {**params(route.form, world, own), **changed}
                found.append((method, url, Probe("form", changed, query=base_query, form=form)))
        if route.next:
            for value in NEXT:
                probe = Probe("next", {"next": value}, query=base_query)
                if method == "GET":
                    probe.query = {**base_query, "next": value}
                else:
                    probe.form = {**params(route.form, world, own), "next": value}
                found.append((method, url, probe))
    return found


def safe_redirect(response) -> bool:
    location = response.headers.get("Location", "")
    return (
        url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"})
        and "evil" not in urlsplit(location).netloc
    )


def reasons(response) -> list[str]:
    """Why a base request was refused: the exception, or the alerts of the page (errors carry role="alert")."""
    if isinstance(response, Exception):
        return [repr(response)]
    return [re.sub(r"<[^>]+>", " ", alert).strip() for alert in ALERT.findall(response.content.decode())][:5]


def failure(route, method, probe, response, htmx: bool) -> str | None:
    """Why the response is wrong, or None. With a bad `next`, the base request still succeeds (its htmx answer is a
    fragment, without a redirect)."""
    if isinstance(response, Exception):
        return f"{type(response).__name__}: {str(response)[:200]}"
    if response.status_code >= 500:
        return f"status {response.status_code}"
    if probe.where == "next":
        expected = 200 if htmx else route.ok.get(method, 200 if method == "GET" else 302)
        if response.status_code != expected:
            return f"status {response.status_code}, expected {expected}"
        if 300 <= response.status_code < 400 and not safe_redirect(response):
            return f"redirects to {response.headers['Location'][:80]}"
    return None


def single(probe: Probe, base_query: dict, base_form: dict) -> list[Probe]:
    """A probe that changed several parameters, split into one probe per parameter (to name the culprit)."""
    split = []
    for key, value in probe.changed.items():
        if probe.where == "query":
            split.append(Probe("query", {key: value}, query={**base_query, key: value}))
        else:
            split.append(Probe("form", {key: value}, query=base_query, form={**base_form, key: value}))
    return split


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_server_error(client, world, uninstrumented, name):
    route = ROUTES[name]
    client.raise_request_exception = True
    failures = []
    variants = [{}] if route.htmx is None else [{}, {"HX-Request": "true", **route.htmx}]
    base_query = params(route.query, world, world.own)
    for role in route.actors:
        login(client, world, role)
        # The catalogue's values are valid: each probe changes one thing from a request that works.
        for method in route.methods:
            base = Probe("base", {}, query=base_query, form=params(route.form, world, world.own))
            response = send(client, method, path(name, world, world.own), base, {})
            expected = route.ok.get(method, 200 if method == "GET" else 302)
            assert getattr(response, "status_code", response) == expected, f"{role} {method}: {reasons(response)}"
        for number, (method, url, probe) in enumerate(probes(name, world)):
            # Plain and htmx requests in turn: the same checks run, only the answer's template differs.
            headers = variants[number % len(variants)]
            why = failure(route, method, probe, send(client, method, url, probe, headers), bool(headers))
            if why is None:
                continue
            culprits = [probe]
            if len(probe.changed) > 1:
                base_form = params(route.form, world, world.own)
                culprits = [
                    p for p in single(probe, base_query, base_form)
                    if failure(route, method, p, send(client, method, url, p, headers), bool(headers))
                ] or [probe]  # fmt: skip
            for culprit in culprits:
                failures.append(f"{role} {method} {'htmx ' if headers else ''}{culprit}: {why}")
    if failures:
        pytest.fail(f"{len(failures)} requests failed:\n" + "\n".join(dict.fromkeys(failures)), pytrace=False)


def dates_at(base: dict, bound: str) -> dict:
    """The date parameters of `base` at the limits the forms accept: all at the last day, or spanning them (starts at
    the first day, ends at the last)."""
    found, dates = {}, [k for k, v in base.items() if family(v, False) in ("date", "datetime")]
    for number, key in enumerate(dates):
        day = FIRST_DATE if bound == "span" and number % 2 == 0 else LAST_DATE
        found[key] = day.isoformat() + ("T12:00" if family(base[key], False) == "datetime" else "")
    return found


def requests_to_read(route) -> list[tuple[str, dict]]:
    """(method, headers) of what a route answers without changing anything: its pages, plain and htmx, and its htmx
    posts (read in a rolled-back savepoint)."""
    htmx = [] if route.htmx is None else [{"HX-Request": "true", **route.htmx}]
    pages = [("GET", headers) for headers in [{}, *htmx]] if "GET" in route.methods else []
    return pages + ([("POST", headers) for headers in htmx] if "POST" in route.methods else [])


@pytest.mark.parametrize("bound", ["last", "span"])
def test_dates_saved_at_the_limits_keep_every_page_working(client, world, uninstrumented, bound):
    """What the forms accept is saved for good and shown later: every form saves its dates at the limits (refusals
    are fine), then every page, fragment and document is read, its date filters at the same limits too."""
    failures, own = [], world.own
    for name, route in ROUTES.items():
        if "POST" in route.methods and dates_at(params(route.form, world, own), bound):
            login(client, world, route.actor)
            world.refresh()
            form = params(route.form, world, own)
            probe = Probe("form", dates_at(form, bound), query=params(route.query, world, own))
            probe.form = {**form, **probe.changed}
            response = send(client, "POST", path(name, world, own), probe, {}, keep=True)
            if why := failure(route, "POST", probe, response, False):
                failures.append(f"saving through {name} {probe}: {why}")
    for name, route in ROUTES.items():
        login(client, world, route.actor)
        query = params(route.query, world, own)
        for method, headers in requests_to_read(route):
            probe = Probe("query", dates_at(query, bound), query={**query, **dates_at(query, bound)})
            probe.form = params(route.form, world, own)
            response = send(client, method, path(name, world, own), probe, headers)
            if why := failure(route, method, probe, response, bool(headers)):
                failures.append(f"reading {name} {method}{' htmx' if headers else ''} {probe}: {why}")
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
