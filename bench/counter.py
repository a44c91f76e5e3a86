"""Counter benchmark: gunicorn serving ACVS on PostgreSQL, N agents recording walk-in requests at once.

    uv run python bench/counter.py                                    # 6 clients, 4 sync workers, 20 s
    uv run python bench/counter.py --clients 16 --workers 3 --threads 4   # gthread workers
    make bench-counter ARGS="--compare bench/baseline-counter.json"

Production-like: DEBUG off, persistent connections (DB_CONN_MAX_AGE), gunicorn bound to 127.0.0.1 on a free port,
a dedicated database (default acvs_bench_counter: migrate, load_reference, one office with a territory and one agent
per client, created here). Each client (a process, stdlib http.client with a keep-alive connection and its cookies)
logs in once, then for `--duration` seconds posts the counter form (a German family, 2 adults, 2 children, language
de, answered fully) as the counter page does: with htmx, answered by a one-line confirmation (the page resets its own
form). Throughput is the number of VisitorRequest rows the office gained, per second. Target: >= 200 recorded/s,
POST p95 <= 50 ms. The server is always stopped at the end. See docs/performance.md.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import acvs and bench as packages

from bench import baseline  # noqa: E402
from bench.search import create_pg_database, quantiles  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acvs_bench_counter"
TARGET_RATE = 200.0
TARGET_P95_MS = 50.0
OFFICE_SLUG = "bench-counter"
PASSWORD = "bench-counter-password-0123"
PAYLOAD = {"origin_pick": "country:DE", "adults": 2, "children": 2, "language": "de", "outcome": "fully"}
MAX_PER_CLIENT = 100_000  # a bound on top of the duration


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"a PostgreSQL database ({DEFAULT_URL})")
    parser.add_argument("--clients", type=int, default=6, help="concurrent agents (default 6)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker; > 1 uses gthread (default 1)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of recording (default 20)")
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/15", help="REDIS_URL of the server ('' for none)"
    )
    parser.add_argument("--conn-max-age", type=int, default=600, help="DB_CONN_MAX_AGE of the server (default 600)")
    parser.add_argument("--save-baseline", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--compare", metavar="FILE", help="compare with a saved baseline; exit 1 on a regression")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("this benchmark needs PostgreSQL")
    if not (1 <= args.clients <= 64 and 1 <= args.workers <= 16 and 1 <= args.threads <= 16):
        parser.error("--clients 1..64, --workers 1..16, --threads 1..16")
    if not 1 <= args.duration <= 600:
        parser.error("--duration must be between 1 and 600 seconds")
    return args


def prepare(args) -> list[str]:
    """Migrate, load the reference data, create the office and one agent per client; return their usernames."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ["DATABASE_URL"] = args.database_url
    create_pg_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    from acvs.network.models import Commune, Department, Membership, Office, Role, User

    print("Migrating and loading the reference data ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115
    office, _ = Office.objects.get_or_create(
        slug=OFFICE_SLUG,
        defaults={"name": "Office de tourisme du banc d’essai", "department": Department.objects.get(code="83")},
    )
    office.territory.set(Commune.objects.filter(insee__in=["83036", "83048"]))
    usernames = []
    for i in range(args.clients):
        username = f"bench-agent-{i:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=PASSWORD, first_name=f"Agent {i}")
        Membership.objects.get_or_create(user=user, office=office, defaults={"role": Role.AGENT})
        usernames.append(username)
    return usernames


def recorded(office_slug: str = OFFICE_SLUG) -> int:
    from django_scopes import scopes_disabled

    from acvs.desk.models import VisitorRequest

    with scopes_disabled():  # the benchmark counts what the server recorded, outside any request
        return VisitorRequest.objects.filter(office__slug=office_slug).count()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": str(args.conn_max_age),
        "REDIS_URL": args.redis_url,
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", "acvs.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(args.workers), "--log-level", "warning", "--timeout", "60"]
    if args.threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(args.threads)]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()  # graceful: the master stops its workers
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


class Client:
    """One agent: a keep-alive connection and its cookies."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, htmx=False) -> http.client.HTTPResponse:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        response.body = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def login(self, username: str) -> None:
        page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1).decode()
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        response = self.request("POST", "/login/", form)
        assert response.status == 302, f"login of {username}: {response.status}"
        assert "sessionid" in self.cookies, f"login of {username}: no session"
        assert self.request("GET", "/desk/").status == 200, "the counter page"


def _agent(port: int, username: str, start, deadline, results, interval: float = 0.0) -> None:
    """One agent in its own process (as real counters are separate browsers): log in, then record until the end,
    without pause or one request every `interval` seconds."""
    client = Client(port)
    posts, errors = [], []
    try:
        client.login(username)
    except Exception as error:  # reported, not raised: the parent waits for every agent
        errors.append(f"login {error}")
    start.wait()
    for _ in range(MAX_PER_CLIENT if not errors else 0):
        if time.time() >= deadline.value:
            break
        t0 = time.perf_counter()
        response = client.request("POST", "/desk/", PAYLOAD, htmx=True)
        t1 = time.perf_counter()
        if response.status != 200 or "counter-recorded" not in (response.headers.get("HX-Trigger") or ""):
            errors.append(f"POST {response.status}")
            continue
        posts.append((t1 - t0) * 1000)
        if interval:
            time.sleep(max(0.0, t0 + interval - time.perf_counter()))
    client.conn.close()
    results.put((posts, errors))


def run_clients(port: int, usernames: list[str], duration: float) -> dict:
    """One process per agent: threads in one process would share a GIL and slow the load itself down."""
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(len(usernames) + 1)
    deadline = ctx.Value("d", 0.0)
    results = ctx.Queue()
    agents = [ctx.Process(target=_agent, args=(port, u, start, deadline, results)) for u in usernames]
    for agent in agents:
        agent.start()
    deadline.value = time.time() + 3600  # set for real once every agent has logged in
    # The agents log in first; the clock starts when the last one is ready.
    while start.n_waiting < len(usernames):
        time.sleep(0.05)
    deadline.value = time.time() + duration
    began = time.perf_counter()
    start.wait()
    collected = [results.get(timeout=duration + 60) for _ in agents]
    elapsed = time.perf_counter() - began
    for agent in agents:
        agent.join(timeout=10)
    return {
        "posts": [x for posts, _ in collected for x in posts],
        "errors": [x for _, errors in collected for x in errors],
        "elapsed": elapsed,
    }


def compare(results: dict, path: Path) -> bool:
    old = baseline.load(path)["results"]
    ways = {"recorded_per_s": baseline.HIGHER, "post_p50": baseline.LOWER, "post_p95": baseline.LOWER}
    return baseline.compared(path, [(key, old.get(key), results[key], way, "{:.1f}") for key, way in ways.items()])


def main(argv=None) -> int:
    args = parse_args(argv)
    usernames = prepare(args)
    from django.db import connection

    before = recorded()
    connection.close()
    port = free_port()
    kind = f"gthread x{args.threads}" if args.threads > 1 else "sync"
    print(f"Starting gunicorn on 127.0.0.1:{port}: {args.workers} {kind} workers, DEBUG off ...", flush=True)
    server = start_server(args, port)
    try:
        print(f"{args.clients} clients recording for {args.duration:.0f} s ...", flush=True)
        run = run_clients(port, usernames, args.duration)
    finally:
        stop_server(server)
    gained = recorded() - before
    posts = run["posts"]
    if len(posts) < 2:
        print(f"Too few requests recorded ({len(posts)}); errors: {run['errors'][:5]}")
        return 1
    post_p50, post_p95 = quantiles(posts)
    results = {
        "recorded": gained,
        "client_ok": len(posts),
        "errors": len(run["errors"]),
        "seconds": round(run["elapsed"], 2),
        "recorded_per_s": round(gained / run["elapsed"], 1),
        "post_p50": round(post_p50, 2),
        "post_p95": round(post_p95, 2),
    }
    meta = {
        "clients": args.clients,
        "workers": args.workers,
        "worker_class": kind,
        "duration": args.duration,
        "conn_max_age": args.conn_max_age,
        "redis": bool(args.redis_url),
        "debug": False,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    r = results
    ok = r["recorded_per_s"] >= TARGET_RATE and r["post_p95"] <= TARGET_P95_MS
    print(f"\n{meta['clients']} clients, gunicorn {meta['workers']} {kind} workers, {meta['machine']}")
    print(f"recorded {r['recorded']:,} requests in {r['seconds']:.1f} s = {r['recorded_per_s']:.1f} /s")
    print(f"  (client saw {r['client_ok']:,} recorded, {r['errors']} errors{': ' if run['errors'] else ''}", end="")
    print(f"{', '.join(sorted(set(run['errors']))[:3])})")
    print(f"POST latency  p50 {r['post_p50']:.1f} ms  p95 {r['post_p95']:.1f} ms")
    print(f"target: >= {TARGET_RATE:.0f} recorded/s and POST p95 <= {TARGET_P95_MS:.0f} ms: {'yes' if ok else 'NO'}")
    assert r["recorded"] == r["client_ok"], "the rows recorded differ from the client's count"
    if args.save_baseline:
        Path(args.save_baseline).write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
        print(f"\nFigures saved to {args.save_baseline}")
    if args.compare and compare(results, Path(args.compare)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
