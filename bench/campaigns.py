"""Campaigns benchmark: a campaign's sending, as the worker does it, to a local SMTP sink, side by side in one run
with a bare smtplib loop sending the same messages, pre-rendered, over one connection to the same sink.

    uv run python bench/campaigns.py                     # 100,000 recipients, PostgreSQL acvs_campaigns_bench
    uv run python bench/campaigns.py --recipients 20000 --reuse --compare bench/baseline-campaigns.json
    uv run python bench/campaigns.py --recipients 2000 --profile     # where the sending's time goes (cProfile)

The sending keeps its guarantees while measured: one SMTP transaction per message, each row handed over
("sending", committed) before it and recorded sent after (acvs/campaigns/sending.py), tracking on (open pixel and
signed click links in every message). The sink (aiosmtpd's Sink handler, which discards) runs in its own process.
The smtplib loop sends the first --baseline messages, made beforehand by the same composer (bytes in memory), and is
timed right after the campaign, against the same sink. Targets (issue 13): >= 1,000 messages/s and >= half the
smtplib loop's rate. --save-baseline FILE writes the figures; --compare FILE prints the deltas and exits 1 when the
campaign's rate or the ratio is more than 20 % worse.

The bare loop runs twice, just before and just after the campaign, and the ratio is taken against the mean of the two
(the machine's load moves during a run). The worker process's one-time costs (importing the views by the URL conf)
are paid before the clock starts: a tasks worker pays them once, not per campaign.

--counter: the web pages' responsiveness while a campaign sends (issue 13: "the p95 of the counter recording
unchanged within 20 %"). gunicorn serves ACVS on the same database (bench/counter.py's set-up: its office, agents
and form); --counter-clients agents record walk-in requests as bench/counter.py does, alone for --counter-seconds
before the campaign and again after it (the mean of the two), and while the campaign sends (until it ends). Prints
both POST p95 and their ratio (target <= 1.20). The campaign's rate in that run is measured with the counter
alongside. The sending runs at its production priority (ACVS_CAMPAIGN_NICE, 0 in the environment: unchanged); the
sink, which stands for the mail relay, at the web servers' unless --nice-sink.
"""

import argparse
import cProfile
import datetime
import json
import os
import platform
import pstats
import shutil
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import acvs and bench as packages

from bench import baseline  # noqa: E402
from bench.search import create_pg_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/acvs_campaigns_bench"
OFFICE_SLUG = "bench-campaigns"
REGRESSION = 0.20


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=20_000, help="messages the bare smtplib loop sends")
    parser.add_argument("--reuse", action="store_true", help="keep the contacts when their count matches")
    parser.add_argument("--profile", action="store_true", help="profile the campaign's sending (cProfile, top 25)")
    parser.add_argument("--counter", action="store_true", help="time the counter's recording alone, then during it")
    parser.add_argument("--counter-clients", type=int, default=2, help="agents recording at the counter (2)")
    parser.add_argument("--counter-seconds", type=float, default=15.0, help="the counter alone, seconds (15)")
    parser.add_argument("--counter-rate", type=float, default=0.0,
                        help="requests a second per agent (default 0: each agent records without pause)")  # fmt: skip
    parser.add_argument(
        "--nice-sink",
        action="store_true",
        help="with --counter, the sink as low in priority as the sending (ACVS_CAMPAIGN_NICE, ACVS_CAMPAIGN_IDLE)",
    )
    parser.add_argument(
        "--rate",
        type=int,
        default=0,
        help="throttle the campaign to this many messages/s (ACVS_CAMPAIGN_RATE; default: none)",
    )
    parser.add_argument(
        "--sink",
        choices=["aiosmtpd", "smtp-sink"],
        default="smtp-sink" if shutil.which("smtp-sink") else "aiosmtpd",
        help="the SMTP sink: Postfix's smtp-sink (C; apt install postfix) when installed, else aiosmtpd (Python)",
    )
    parser.add_argument("--save-baseline", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--compare", metavar="FILE", help="compare with a saved baseline; exit 1 on a regression")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sink(port: int, nice: int = 0, idle: bool = False, kind: str = "aiosmtpd") -> subprocess.Popen:
    """aiosmtpd's Sink is one Python process, whose ceiling here (~1,000-1,200 messages/s) hid the senders' own
    rates; Postfix's smtp-sink, in C, discards as fast as a relay would accept."""
    if kind == "smtp-sink":  # address, then the listen backlog; as root it must be told whom to run as (-u)
        command = ["smtp-sink", *(["-u", "nobody"] if os.geteuid() == 0 else []), f"127.0.0.1:{port}", "100"]
    else:
        command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"]

    def lower():
        if nice:
            os.nice(nice)
        if idle:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))

    sink = subprocess.Popen(command, preexec_fn=lower if nice or idle else None)  # noqa: PLW1509
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return sink
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the SMTP sink did not start")


def prepare(count: int, reuse: bool):
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from acvs.contacts.models import ConsentEvent, ConsentMethod, Contact, ContactEmail, CurrentConsent, Segment
    from acvs.network.models import Department, Office
    from bench import dataset

    call_command("migrate", verbosity=0, interactive=False)
    if Department.objects.count() < 100:
        dataset.load_departments()
    with scopes_disabled():
        # Not bench/counter.py's office name (unique), which --counter creates on the same database.
        office, _created = Office.objects.update_or_create(
            slug=OFFICE_SLUG,
            defaults={"name": "Office de tourisme du banc d’essai des campagnes"},
            create_defaults={"name": "Office de tourisme du banc d’essai des campagnes", "kind": Office.Kind.OT,
                             "department": Department.objects.get(code="83")},
        )  # fmt: skip
        if not (reuse and Contact.objects.filter(office=office).count() == count):
            print(f"Writing {count:,} contacts, their addresses and consents ...", flush=True)
            CurrentConsent.objects.filter(office=office)._raw_delete(CurrentConsent.objects.db)
            ConsentEvent.objects.filter(office=office)._raw_delete(ConsentEvent.objects.db)
            Contact.objects.filter(office=office).delete()
            now = timezone.now()
            for start in range(0, count, 10_000):
                contacts = Contact.objects.bulk_create(
                    [
                        Contact(office=office, name=f"Invité {i}", language="fr")
                        for i in range(start, min(count, start + 10_000))
                    ]
                )
                ContactEmail.objects.bulk_create(
                    [ContactEmail(office=office, contact=c, email=f"guest{c.pk}@example.org") for c in contacts]
                )
                ConsentEvent.objects.bulk_create(
                    [ConsentEvent(office=office, contact=c, purpose="newsletter", given=True, at=now,
                                  method=ConsentMethod.IMPORT, origin="bench", text="Oui.") for c in contacts]
                )  # fmt: skip
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
        segment, _created = Segment.objects.get_or_create(
            office=office, name="Lettre", defaults={"criteria": {"consent": "newsletter"}}
        )
    return office, segment


def make_campaign(office, segment):
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from acvs.campaigns.models import Block, Campaign

    with scopes_disabled():
        Campaign.objects.filter(office=office).delete()
        campaign = Campaign.objects.create(
            office=office, name="Banc d’essai", subjects={"fr": "Nouvelles de {office_name}"},
            status=Campaign.Status.SCHEDULED, scheduled_at=timezone.now(), site_url="https://acvs.example",
        )  # fmt: skip
        campaign.segments.set([segment])
        Block.objects.bulk_create([
            Block(campaign=campaign, language="fr", position=0, kind="title", text="Bonjour {name}"),
            Block(campaign=campaign, language="fr", position=1, kind="text",
                  text="Le marché de printemps revient sur le port, tous les samedis matin.\nÀ bientôt !"),
            Block(campaign=campaign, language="fr", position=2, kind="button", text="Le programme",
                  url="https://acvs.example/programme"),
        ])  # fmt: skip
    return campaign


def bare_loop(port: int, messages: list[tuple[str, list[str], bytes]]) -> float:
    """Messages per second of smtplib alone: one connection, one sendmail per message, nothing else."""
    server = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for sender, recipients, data in messages:
        server.sendmail(sender, recipients, data)
    rate = len(messages) / (time.perf_counter() - started)
    server.quit()
    return rate


def counter_setup(args):
    """bench/counter.py's office and agents on this database, and gunicorn serving ACVS (2 sync workers)."""
    from bench import counter

    ns = argparse.Namespace(database_url=args.database_url, clients=args.counter_clients, workers=2, threads=1,
                            conn_max_age=600, redis_url="")  # fmt: skip
    usernames = counter.prepare(ns)
    from django.db import connection
    from django_scopes import scopes_disabled

    from acvs.desk.models import VisitorRequest

    # Each run starts from an empty day: the counter's answer counts the day's requests, which the earlier runs'
    # thousands would make slower run after run (real offices record hundreds a day, not tens of thousands).
    with scopes_disabled():
        VisitorRequest.objects.filter(office__slug=counter.OFFICE_SLUG).delete()

    connection.close()
    port = free_port()
    return counter.start_server(ns, port), port, usernames


class CounterLoad:
    """The counter's agents (one process each, bench/counter.py's _agent), recording until stop()."""

    def __init__(self, port: int, usernames: list[str], rate: float = 0.0):
        import multiprocessing

        from bench import counter

        ctx = multiprocessing.get_context("fork")
        self.start_barrier = ctx.Barrier(len(usernames) + 1)
        self.deadline = ctx.Value("d", time.time() + 3600)
        self.results = ctx.Queue()
        self.agents = [
            ctx.Process(
                target=counter._agent,
                args=(port, u, self.start_barrier, self.deadline, self.results, 1 / rate if rate else 0.0),
            )
            for u in usernames
        ]
        for agent in self.agents:
            agent.start()
        while self.start_barrier.n_waiting < len(usernames):  # logged in
            time.sleep(0.05)
        self.start_barrier.wait()
        self.began = time.perf_counter()

    def stop(self) -> dict:
        self.deadline.value = time.time()
        collected = [self.results.get(timeout=120) for _ in self.agents]
        elapsed = time.perf_counter() - self.began
        for agent in self.agents:
            agent.join(timeout=10)
        posts = [x for posts, _ in collected for x in posts]
        errors = [x for _, errors in collected for x in errors]
        if len(posts) < 10 or errors:
            raise SystemExit(f"The counter's agents: {len(posts)} recorded, errors {errors[:3]}")
        from bench.search import quantiles

        p50, p95 = quantiles(posts)
        return {"posts": len(posts), "per_s": len(posts) / elapsed, "p50": p50, "p95": p95}


def compare(results: dict, path: Path) -> bool:
    old = baseline.load(path)["results"]
    ways = {"campaign_per_s": baseline.HIGHER, "bare_per_s": baseline.SHOWN, "ratio": baseline.HIGHER}
    return baseline.compared(path, [(key, old.get(key), results[key], way, "{:,.2f}") for key, way in ways.items()])


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "acvs.settings"
    os.environ.setdefault("ACVS_ENV", "development")
    os.environ["DATABASE_URL"] = args.database_url
    if args.database_url.startswith("postgres"):
        create_pg_database(args.database_url)
    port = free_port()
    os.environ |= {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django_scopes import scopes_disabled

    from acvs.campaigns import compose, render, sending
    from acvs.campaigns.models import Campaign, Recipient
    from acvs.core.tenancy import scope_for
    from acvs.mailing import verp

    # No throttle by default: the benchmark measures the sending itself; --rate, as a relay's limit would.
    settings.ACVS_CAMPAIGN_RATE = args.rate or 10**9
    settings.ACVS_BOUNCES_ADDRESS = "bounces@acvs.example"  # a VERP return path per message, as in production
    office, segment = prepare(args.recipients, args.reuse)
    server = None
    if args.counter:
        server, counter_port, usernames = counter_setup(args)
    campaign = make_campaign(office, segment)
    # --nice-sink: the sink (standing for the mail relay, usually another machine) as low in priority as the sending.
    lower_sink = args.counter and args.nice_sink
    sink = start_sink(port, settings.ACVS_CAMPAIGN_NICE if lower_sink else 0,
                      lower_sink and settings.ACVS_CAMPAIGN_IDLE and hasattr(os, "SCHED_IDLE"), args.sink)  # fmt: skip
    counter_alone = counter_during = None
    try:
        # The worker's one-time cost, paid when its process starts: the URL conf (every app's views) imported.
        from django.urls import reverse

        reverse("campaigns:open", args=["warm"])
        with scope_for(office=office):
            started = time.perf_counter()
            sending.materialise(Campaign.objects.select_related("office").get(pk=campaign.pk))
            materialised = time.perf_counter() - started
        # The same messages, made beforehand by the same composer (not timed): the bare loop only sends.
        with scopes_disabled():
            campaign = Campaign.objects.select_related("office").get(pk=campaign.pk)
            composer = compose.Composer(campaign, render.render_all(campaign, campaign.site_url))
            rows = list(Recipient.objects.filter(campaign=campaign).order_by("pk")[: args.baseline])
        messages = [
            (verp.return_path("campaign", row.pk), [row.email],
             composer.message(pk=row.pk, email=row.email, name=row.email.partition("@")[0], language=row.language,
                              message_id=f"<campaign.{row.pk}.0123456789abcdef@acvs.example>", track=True))
            for row in rows
        ]  # fmt: skip
        bare_before = bare_loop(port, messages)
        if args.counter:
            print(f"The counter alone ({args.counter_clients} agents, {args.counter_seconds:.0f} s) ...", flush=True)
            load = CounterLoad(counter_port, usernames, args.counter_rate)
            time.sleep(args.counter_seconds)
            counter_alone = load.stop()
            load = CounterLoad(counter_port, usernames, args.counter_rate)
        with scope_for(office=office):
            profiler = cProfile.Profile() if args.profile else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            outcome = sending.campaign_run(campaign.pk)
            elapsed = time.perf_counter() - started
            if profiler:
                profiler.disable()
        if args.counter:
            counter_during = load.stop()
        with scopes_disabled():
            sent = Recipient.objects.filter(campaign=campaign, status=Recipient.Status.SENT).count()
        if outcome != "sent" or sent != args.recipients:
            raise SystemExit(f"The campaign did not finish: {outcome}, {sent:,} sent")
        ours = sent / elapsed
        bare_after = bare_loop(port, messages)
        if args.counter:
            load = CounterLoad(counter_port, usernames, args.counter_rate)
            time.sleep(args.counter_seconds)
            counter_after = load.stop()
            counter_alone = {key: (counter_alone[key] + counter_after[key]) / 2 for key in counter_alone}
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        if server is not None:
            from bench import counter

            counter.stop_server(server)
    bare = (bare_before + bare_after) / 2

    ratio = ours / bare
    print(f"Recipients materialised: {args.recipients:,} in {materialised:.1f} s")
    print(f"Campaign sending (ACVS): {sent:,} messages in {elapsed:.1f} s = {ours:,.0f} messages/s")
    print(
        f"Bare smtplib loop:       {len(messages):,} pre-rendered messages = {bare:,.0f} messages/s "
        f"(before {bare_before:,.0f}, after {bare_after:,.0f})"
    )
    verdict = "ok" if ours >= 1000 else "SLOW"
    print(f"Ratio ACVS / smtplib: {ratio:.2f} (target >= 0.5); rate {verdict} (target >= 1,000/s)")
    meta = {
        "recipients": args.recipients, "baseline_messages": len(messages), "database": connection.vendor,
        "date": datetime.date.today().isoformat(), "sink": args.sink, "rate_limit": args.rate,
        "load_average": os.getloadavg()[0],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }  # fmt: skip
    print(f"{meta['database']}, {meta['machine']}, {meta['date']}, sink {args.sink}, load {meta['load_average']:.1f}")
    if profiler:
        print()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    results = {"campaign_per_s": round(ours, 1), "bare_per_s": round(bare, 1), "ratio": round(ratio, 3)}
    counter_ok = True
    if args.counter:
        slower = counter_during["p95"] / counter_alone["p95"]
        counter_ok = slower <= 1 + REGRESSION
        for label, c in (("alone", counter_alone), ("while sending", counter_during)):
            print(f"Counter {label:<14} {c['posts']:,} recorded, {c['per_s']:.0f}/s, "
                  f"POST p50 {c['p50']:.1f} ms, p95 {c['p95']:.1f} ms")  # fmt: skip
        print(f"Counter p95 while sending / alone: {slower:.2f} (target <= {1 + REGRESSION:.2f})")
        results |= {
            "counter_p95_alone": round(counter_alone["p95"], 2),
            "counter_p95_sending": round(counter_during["p95"], 2),
            "counter_p95_ratio": round(slower, 3),
        }
        meta["counter_clients"] = args.counter_clients
    regressed = compare(results, Path(args.compare)) if args.compare else False
    if args.save_baseline:
        Path(args.save_baseline).write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
        print(f"\nFigures saved to {args.save_baseline}")
    return 0 if ours >= 1000 and ratio >= 0.5 and counter_ok and not regressed else 1


if __name__ == "__main__":
    sys.exit(main())
