"""The incremental rollup under a sustained recording rate: `bench/observatory.py --record-rate 200`.

Recorders (processes) call the desk's own service, `desk.services.request_create`, for agents of `--record-offices`
offices spread over the départements, each paced to its share of `--record-rate` requests per second for
`--record-seconds`; each commit marks its (office, day) and enqueues `refresh_figures`, as the counter page does.
The worker is the production one: `manage.py db_worker` (django-tasks' database backend, `--workers` processes),
started here and stopped at the end. A monitor samples every `SAMPLE_S` the rollup (each office's `requests` figure
of today in `DailyFigure`), the marks waiting (`DirtyDay`) and the tasks waiting in the queue.

Lag of a request: from its commit to the first sample where its office's daily figure counts it (a figure is a
recount of the raw rows, so the n-th request of an office is in the rollup once the figure reaches n). It keeps up
when the backlog (marks and queued tasks) and the lag do not grow from the first half of the run to the second, and
the rollup catches up with every request soon after the recording stops.

Where the CPU went while recording (Linux /proc): the machine's busy CPU-seconds out of those available, the
recorders' own (their Python: the service, the ORM), the worker's, and this database's PostgreSQL processes (those
connected when the recording starts); the other jobs of the machine are the rest.
Whether the recorders could offer the rate at all is read there: a machine busy ~100 % is short of CPU.
"""

import datetime
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_S = 0.1
CATCH_UP_S = 120  # after the recording stops, how long the rollup may take to count everything
AGENT_PREFIX = "bench-obs-agent-"


def ensure_agents(offices: list) -> list[tuple[int, int]]:
    """One agent per office (user, membership): [(office id, membership id)]."""
    from acvs.network.models import Membership, Role, User

    pairs = []
    for office in offices:
        username = f"{AGENT_PREFIX}{office.pk}"
        user = User.objects.filter(username=username).first() or User.objects.create_user(username=username)
        membership, _ = Membership.objects.get_or_create(user=user, office=office, defaults={"role": Role.AGENT})
        pairs.append((office.pk, membership.pk))
    return pairs


def recorder(database_url: str, pairs: list, rate: float, seconds: float, start, out) -> None:
    """Record `rate` requests per second over `pairs` (office, membership), round-robin, for `seconds` from the
    time `start` gives (once every recorder is ready); send back [(office id, commit time)] and the requests that
    came late to their slot."""
    try:
        _record(database_url, pairs, rate, seconds, start, out)
    except BaseException as exc:
        out.put((None, repr(exc)))
        raise


def _record(database_url: str, pairs: list, rate: float, seconds: float, start, out) -> None:
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from acvs.core.tenancy import scope_for
    from acvs.desk.services import RequestData, request_create
    from acvs.network.models import Membership
    from acvs.offer.models import OfferType

    from .observatory import type_codes

    memberships = {m.pk: m for m in Membership.objects.select_related("office__department", "user")}
    types = list(OfferType.objects.filter(code__in=type_codes()[:8]))
    commits, late = [], 0
    out.put(("ready", None))
    start_at = start.get()
    time.sleep(max(0.0, start_at - time.time()))
    cpu = time.process_time()
    n = 0
    while True:
        due = start_at + n / rate
        if due >= start_at + seconds or time.time() >= start_at + seconds:
            break  # the run's time is up, whether or not the recorder kept to its rate
        wait = due - time.time()
        if wait > 0:
            time.sleep(wait)
        elif wait < -0.05:
            late += 1
        office_id, membership_id = pairs[n % len(pairs)]
        membership = memberships[membership_id]
        abroad = n % 3 == 0
        fields = {
            "channel": "counter",
            "origin": "abroad" if abroad else "france",
            "country": "DE" if abroad else "",
            "department": None if abroad else membership.office.department,
            "language": "de" if n % 3 == 0 else "fr",
            "adults": 2,
            "children": n % 3,
            "outcome": "fully" if n % 4 else "partly",
        }
        data = RequestData(fields, requested_types=[types[n % len(types)]], missing_types=[] if n % 4 else types[:1])
        with scope_for(office=membership.office):
            request_create(membership=membership, data=data)
        commits.append((office_id, time.time()))
        n += 1
    out.put((commits, {"late": late, "cpu_s": time.process_time() - cpu}))


class Monitor(threading.Thread):
    """Samples (time, {office id: today's requests figure}, marks waiting, tasks waiting) every SAMPLE_S."""

    def __init__(self, office_ids: list[int], day: datetime.date):
        super().__init__(daemon=True)
        self.office_ids, self.day = office_ids, day
        self.samples: list[tuple[float, dict, int, int]] = []
        self.stopped = threading.Event()
        self.error: str | None = None

    def run(self):
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self.stopped.is_set():
                    cursor.execute(
                        "SELECT office_id, value FROM observatory_dailyfigure WHERE day = %s AND dimension = 'requests'"
                        " AND key = '' AND office_id = ANY(%s)",
                        [self.day, self.office_ids],
                    )
                    figures = dict(cursor.fetchall())
                    cursor.execute("SELECT count(*) FROM observatory_dirtyday")
                    marks = cursor.fetchone()[0]
                    cursor.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")
                    queued = cursor.fetchone()[0]
                    self.samples.append((time.time(), figures, marks, queued))
                    self.stopped.wait(SAMPLE_S)
        except Exception as exc:  # said at the end: a monitor that stopped would read as requests never counted
            self.error = repr(exc)
        finally:
            connection.close()

    def counted(self) -> dict[int, int]:
        return self.samples[-1][1] if self.samples else {}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backends() -> list[int]:
    """The PostgreSQL server processes of this database (the recorders', the worker's, the monitor's)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return [pid for (pid,) in cursor.fetchall()]


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, every CPU summed (Linux /proc/stat)."""
    try:
        ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = ticks[3] + ticks[4]  # idle, iowait
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / hz, sum(ticks) / hz


def start_workers(database_url: str, count: int) -> list[subprocess.Popen]:
    """`count` db_worker processes as the Procfile starts them, logging at INFO (each task, each drain's batch:
    marks taken, days rebuilt, seconds) into a file of the temporary directory, each line prefixed with its time."""
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--queue-name", "*", "--interval", "1"]
    workers = []
    for n in range(count):
        log = Path(tempfile.gettempdir()) / f"bench-observatory-worker-{n}.log"
        print(f"  db_worker {n}: its log in {log}")
        worker = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        threading.Thread(target=_timestamped, args=(worker.stdout, log), daemon=True).start()
        workers.append(worker)
    return workers


def _timestamped(stream, log: Path) -> None:
    with log.open("w") as out:
        for line in iter(stream.readline, b""):
            now = datetime.datetime.now().strftime("%H:%M:%S.%f")[:-3]
            out.write(f"{now} {line.decode(errors='replace')}")
            out.flush()


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def explain_short(short: dict[int, int], monitor: Monitor) -> None:
    """What was left when the rollup did not catch up: which offices, their marks, the tasks, the monitor's state."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT office_id, count(*), min(id), max(id) FROM observatory_dirtyday GROUP BY office_id ORDER BY 1"
        )
        marks = {office: (n, low, high) for office, n, low, high in cursor.fetchall()}
        cursor.execute("SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status ORDER BY 1")
        tasks = cursor.fetchall()
    last = monitor.samples[-1][0] if monitor.samples else 0
    print(f"  NOT caught up: {sum(short.values())} requests of {len(short)} offices not counted")
    for office, n in sorted(short.items())[:20]:
        print(f"    office {office}: {n} short; marks waiting (count, first id, last id): {marks.get(office)}")
    print(f"  marks waiting in all: {sum(n for n, _l, _h in marks.values())}; tasks by status: {tasks}")
    print(f"  monitor alive: {monitor.is_alive()}, error: {monitor.error}, last sample {time.time() - last:.1f} s ago")


def lags(commits: list[tuple[int, float]], samples: list, before: dict[int, int]) -> list[tuple[float, float]]:
    """[(commit time, lag in s)] of each request: until the first sample whose figure of its office counts it."""
    per_office: dict[int, list[float]] = {}
    for office_id, at in sorted(commits, key=lambda c: c[1]):
        per_office.setdefault(office_id, []).append(at)
    result = []
    for office_id, times in per_office.items():
        cursor = 0
        for n, at in enumerate(times, start=1):
            need = before.get(office_id, 0) + n
            while cursor < len(samples) and samples[cursor][1].get(office_id, 0) < need:
                cursor += 1
            if cursor == len(samples):
                result.append((at, float("inf")))  # never counted within the catch-up time
                continue
            result.append((at, max(0.0, samples[cursor][0] - at)))
    return sorted(result)


def p(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def run(args, offices: list) -> dict:
    from django.db import connection
    from django.utils import timezone

    from acvs.observatory.services import drain

    step = max(1, len(offices) // args.record_offices)
    chosen = offices[::step][: args.record_offices]
    pairs = ensure_agents(chosen)
    office_ids = [office_id for office_id, _m in pairs]
    print(
        f"\nRecording {args.record_rate:.0f} requests/s for {args.record_seconds} s over {len(pairs)} offices "
        f"({len({o.department_id for o in chosen})} départements), {args.recorders} recorders, "
        f"{args.workers} db_worker ...",
        flush=True,
    )
    # A clean start: no marks or tasks left behind, today's figures of these offices current.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_tasks_database_dbtaskresult")
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM observatory_dirtyday)")
        if cursor.fetchone()[0]:
            drain()
    day = timezone.localdate()
    monitor = Monitor(office_ids, day)
    monitor.start()
    time.sleep(0.5)
    before = monitor.counted()

    workers = start_workers(args.database_url, args.workers)
    time.sleep(3)  # django.setup() of the workers
    spawn = multiprocessing.get_context("spawn")
    out, start = spawn.Queue(), spawn.Queue()
    shares = [pairs[i :: args.recorders] for i in range(args.recorders)]
    rate = args.record_rate / args.recorders
    procs = [
        spawn.Process(target=recorder, args=(args.database_url, share, rate, args.record_seconds, start, out))
        for share in shares
    ]
    try:
        for proc in procs:
            proc.start()
        for _proc in procs:  # every recorder set up (django.setup(), its memberships) before the first slot
            ready, error = out.get(timeout=300)
            if ready != "ready":
                raise RuntimeError(f"a recorder failed: {error}")
        start_at = time.time() + 0.5
        for _proc in procs:
            start.put(start_at)
        time.sleep(max(0.0, start_at - time.time()))
        workers_cpu, busy = [cpu_seconds(w.pid) for w in workers], machine_busy()
        servers = {pid: cpu_seconds(pid) for pid in backends()}
        results = [out.get(timeout=args.record_seconds + 120) for _ in procs]
        failed = [error for recorded, error in results if recorded is None]
        if failed:
            raise RuntimeError(f"a recorder failed: {failed[0]}")
        busy = [b - a for a, b in zip(busy, machine_busy(), strict=True)]
        servers_cpu = sum(cpu_seconds(pid) - cpu for pid, cpu in servers.items())
        workers_cpu = sum(cpu_seconds(w.pid) - cpu for w, cpu in zip(workers, workers_cpu, strict=True))
        for proc in procs:
            proc.join()
        stopped_at = time.time()
        commits = [c for recorded, _late in results for c in recorded]
        recorded = {}
        for office_id, _at in commits:
            recorded[office_id] = recorded.get(office_id, 0) + 1
        deadline = stopped_at + CATCH_UP_S
        while time.time() < deadline:
            counted = monitor.counted()
            if all(counted.get(o, 0) >= before.get(o, 0) + n for o, n in recorded.items()):
                break
            time.sleep(SAMPLE_S)
        caught_up = time.time() - stopped_at
        short = {o: before.get(o, 0) + n - counted.get(o, 0) for o, n in recorded.items()}
        short = {o: n for o, n in short.items() if n > 0}
        if short:
            explain_short(short, monitor)
    finally:
        monitor.stopped.set()
        monitor.join()
        stop_workers(workers)
    if monitor.error:
        print(f"  the monitor stopped on an error: {monitor.error}")
    late = sum(info["late"] for _recorded, info in results)
    cpu = {
        "recorders_cpu_s": round(sum(info["cpu_s"] for _recorded, info in results), 1),
        "workers_cpu_s": round(workers_cpu, 1),
        "postgresql_cpu_s": round(servers_cpu, 1),
        "machine_busy_s": round(busy[0], 1),
        "machine_cpu_s": round(busy[1], 1),
    }
    result = summarise(args, commits, monitor.samples, before, start_at, stopped_at, caught_up, late, len(pairs))
    result.update(cpu)
    per = 1000 / max(1, result["recorded"])
    print(
        f"  CPU while recording ({cpu['machine_cpu_s']:.0f} CPU-seconds available): machine busy "
        f"{cpu['machine_busy_s']:.0f} s ({cpu['machine_busy_s'] / max(cpu['machine_cpu_s'], 1):.0%}); recorders "
        f"{cpu['recorders_cpu_s']:.0f} s ({cpu['recorders_cpu_s'] * per:.1f} ms a request, their Python only), "
        f"db_worker {cpu['workers_cpu_s']:.0f} s (its Python only), PostgreSQL for this database "
        f"{cpu['postgresql_cpu_s']:.0f} s; the other jobs of the machine the rest"
    )
    return result


def summarise(args, commits, samples, before, start_at, stopped_at, caught_up, late, offices) -> dict:
    measured = lags(commits, samples, before)
    first, last = commits and min(at for _o, at in commits), commits and max(at for _o, at in commits)
    rate = len(commits) / (last - first) if len(commits) > 1 else 0.0
    values = [lag for _at, lag in measured]
    half = start_at + args.record_seconds / 2
    early = [lag for at, lag in measured if at < half]
    later = [lag for at, lag in measured if at >= half]
    during = [s for s in samples if start_at <= s[0] <= stopped_at]
    marks_early = [s[2] for s in during if s[0] < half]
    marks_later = [s[2] for s in during if s[0] >= half]
    queued_early = [s[3] for s in during if s[0] < half]
    queued_later = [s[3] for s in during if s[0] >= half]
    never = sum(1 for v in values if v == float("inf"))
    finite = [v for v in values if v != float("inf")]
    result = {
        "rate_target": args.record_rate,
        "seconds": args.record_seconds,
        "offices": offices,
        "recorders": args.recorders,
        "workers": args.workers,
        "recorded": len(commits),
        "rate": round(rate, 1),
        "late": late,
        "lag_p50_s": round(p(finite, 50), 2),
        "lag_p95_s": round(p(finite, 95), 2),
        "lag_max_s": round(max(finite), 2) if finite else None,
        "lag_p95_first_half_s": round(p([v for v in early if v != float("inf")], 95), 2),
        "lag_p95_second_half_s": round(p([v for v in later if v != float("inf")], 95), 2),
        "marks_max_first_half": max(marks_early, default=0),
        "marks_max_second_half": max(marks_later, default=0),
        "tasks_max_first_half": max(queued_early, default=0),
        "tasks_max_second_half": max(queued_later, default=0),
        "never_counted": never,
        "samples": len(during),
        "sample_gap_max_s": round(max((b[0] - a[0] for a, b in zip(during, during[1:], strict=False)), default=0), 2),
        "caught_up_s": round(caught_up, 1),
    }
    grows = (
        never
        or result["lag_p95_second_half_s"] > 1.5 * result["lag_p95_first_half_s"] + 1
        or result["tasks_max_second_half"] > 1.5 * result["tasks_max_first_half"] + 50
        or result["marks_max_second_half"] > 1.5 * result["marks_max_first_half"] + 50
    )
    result["keeps_up"] = bool(not grows and rate >= 0.95 * args.record_rate)
    print(
        f"  recorded {len(commits):,} requests at {rate:.1f}/s ({late} late to their slot); rollup lag p50 "
        f"{result['lag_p50_s']} s, p95 {result['lag_p95_s']} s (first half {result['lag_p95_first_half_s']} s, "
        f"second half {result['lag_p95_second_half_s']} s), max {result['lag_max_s']} s"
    )
    print(
        f"  marks waiting max {result['marks_max_first_half']} → {result['marks_max_second_half']}, tasks queued max "
        f"{result['tasks_max_first_half']} → {result['tasks_max_second_half']} (first half → second half); all "
        f"counted {result['caught_up_s']} s after the last request; never counted: {never}"
    )
    print(f"  monitor: {result['samples']} samples while recording, longest gap {result['sample_gap_max_s']} s")
    print(f"  keeps up with {args.record_rate:.0f}/s: {'yes' if result['keeps_up'] else 'NO'}")
    return result
