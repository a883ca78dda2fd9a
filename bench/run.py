"""Load and scale benchmarks: `make bench`.

For each scale (city: one synthetic government; national: 550; citus: the national data on a
Citus coordinator, distributed by government), on PostgreSQL over loopback:
create and fill its database once (`generate_data`, resumed when already there), serve the
app with gunicorn (config/gunicorn.conf.py, production settings, the local Redis as its cache
when one answers), drive each page with Debian's `wrk` at 16 connections for a fixed
duration: the floors (/healthz, and a trivial page behind the sign-in), each page steady, the
dashboard, a unit's page and the portal again while bench/writer.py verifies a figure every
second, and the live hearing's poll; count the SQL queries of each steady page in-process;
time the figures computed from nothing, a fresh worker's first page, a 5,000-row workbook
import and (city) a year's agreements for 45 units generated and signed (bench/workloads.py).
The pages are those of government `sint-0001`, the same at both scales, so the two columns
compare one government's pages in a small and in a national database. On the citus scale it
also asks Citus (EXPLAIN) how many shards each statement of each page reads, steady and with
every figure computed from nothing. Writes bench/results.json (a scale not run this time keeps
its earlier figures there) and prints a table with each page's p50 over its floor's.

Environment: BENCH_PG (server URL without a database, default postgres://postgres@127.0.0.1:5432),
BENCH_DURATION (seconds per page, default 10), BENCH_WORKERS (gunicorn workers, default 4),
BENCH_SCALES (default "city national citus"; citus is skipped, with a line, when no
coordinator answers at BENCH_CITUS, default postgres://postgres@127.0.0.1:9700, whose
`postgres` database has the workers registered), BENCH_REDIS (the cache's Redis; empty for
none).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # kinerja.core.citus.nodes: the citus scale's database
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CITUS = os.environ.get("BENCH_CITUS", "postgres://postgres@127.0.0.1:9700").rstrip("/")
SCALES = os.environ.get("BENCH_SCALES", "city national citus").split()
CONNECTIONS = 16
PORT = int(os.environ.get("BENCH_PORT", "8931"))
PAGES = (
    "floor",
    "signed_floor",
    "dashboard",
    "unit",
    "portal",
    "api_achievement",
    "api_realisation",
)
EXTRA = ("api_achievement_government", "hearing_poll")
# Pages measured again while a writer corrects and verifies a figure every second.
MIXED = ("dashboard", "unit", "portal")
# The floor each page is compared with: pages behind the sign-in with the signed-in floor.
FLOOR_OF = {"portal": "floor", "floor": "floor", "hearing_poll": "floor"}


def redis_url() -> str:
    """The Redis the served application shares its cache through (BENCH_REDIS, else the
    local one when it answers, database 1); empty: each worker's own memory."""
    if "BENCH_REDIS" in os.environ:
        return os.environ["BENCH_REDIS"]
    found = subprocess.run(
        [str(ROOT / "scripts" / "redis-url")], text=True, stdout=subprocess.PIPE, check=False
    ).stdout.strip()
    return found.rsplit("/", 1)[0] + "/1" if found else ""


def database_url(scale: str) -> str:
    return f"{CITUS if scale == 'citus' else PG}/kinerja_bench_{scale}"


def citus_answers() -> str | None:
    """The coordinator's Citus version and workers, or None when none answers."""
    import psycopg

    try:
        with psycopg.connect(f"{CITUS}/postgres", connect_timeout=3) as conn:
            version = conn.execute("SELECT citus_version()").fetchone()
            workers = conn.execute(
                "SELECT count(*) FROM pg_dist_node WHERE groupid <> 0 AND isactive"
            ).fetchone()
    except psycopg.Error:
        return None
    assert version is not None and workers is not None
    return f"{str(version[0]).split(' on ')[0]}, {workers[0]} workers"


def production_env(scale: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(scale),
        "DATABASE_CONN_MAX_AGE": "600",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "KINERJA_SIGNING_KEY": "bench-only-signing-key",
        "KINERJA_PUBLIC_URL": "http://127.0.0.1:8000",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_HSTS_PRELOAD": "0",
        "REDIS_URL": redis_url(),
    }


def run(args: list[str], env: dict[str, str] | None = None, **kw: Any) -> str:
    result = subprocess.run(
        args, cwd=ROOT, env=env, check=True, text=True, stdout=subprocess.PIPE, **kw
    )
    return result.stdout


def ensure_database(scale: str) -> None:
    import psycopg

    name = f"kinerja_bench_{scale}"
    if scale == "citus":
        from kinerja.core.citus import nodes

        where = psycopg.conninfo.conninfo_to_dict(CITUS)
        nodes.create(
            name,
            host=str(where["host"]),
            port=int(where.get("port") or 5432),
            user=str(where["user"]) if where.get("user") else None,
        )
        return
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(scale: str) -> dict[str, Any]:
    """Migrate, generate (resumable), then ask the app for URLs, credentials and counts."""
    ensure_database(scale)
    env = production_env(scale)
    print(f"== {scale}: migrate and generate data", flush=True)
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env=env)
    if scale == "citus":
        # Distributed first, then filled through the coordinator, as a national deployment
        # loads its governments.
        print(run([PY, "manage.py", "distribute"], env=env), flush=True)
    subprocess.run(
        [PY, "manage.py", "generate_data", "--scale", "national" if scale == "citus" else scale],
        cwd=ROOT,
        env=env,
        check=True,
    )
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
    out = run([PY, str(ROOT / "bench" / "prepare.py")], env=env)
    return json.loads(out)


class Server:
    def __init__(self, scale: str) -> None:
        self.scale = scale
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = Path(tempfile.gettempdir()) / f"kinerja-bench-{scale}.log"

    def __enter__(self) -> Server:
        gunicorn = Path(PY).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [
                str(gunicorn),
                "-c",
                str(ROOT / "config" / "gunicorn.conf.py"),
                "config.wsgi:application",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{PORT}",
                "--access-logfile",
                "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
                "--error-logfile",
                str(self.log),
                "--backlog",
                "256",
            ],
            cwd=ROOT,
            env=production_env(self.scale),
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def __exit__(self, *exc: object) -> None:
        if self.proc:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)


def wrk(target: dict[str, Any], duration: int) -> dict[str, Any]:
    """p50, p99 (ms) and requests per second of one target at 16 connections."""
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for name, value in target.get("headers", {}).items():
        args += ["-H", f"{name}: {value}"]
    if target.get("lua"):
        args += ["-s", target["lua"]]
    args.append(f"http://127.0.0.1:{PORT}{target['path']}")
    out = run(args)
    latency = dict(re.findall(r"^\s*(50|99)%\s+([\d.]+\w+)\s*$", out, re.MULTILINE))
    if "50" not in latency or "99" not in latency:
        raise RuntimeError(f"wrk output not understood:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "p50_ms": to_ms(latency["50"]),
        "p99_ms": to_ms(latency["99"]),
        "rps": round(rps, 1),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def first_request_ms(target: dict[str, Any]) -> float:
    """The first page a freshly started worker serves (its figures already in the shared
    cache, its own memory empty): what a worker restarted during the day costs its first user."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{target['path']}", headers=target.get("headers", {})
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        response.read()
    return round((time.perf_counter() - started) * 1000, 1)


def to_ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
    return round(float(number) * factor, 2)


class Writer:
    """bench/writer.py beside the server: a figure corrected and verified every second."""

    def __init__(self, scale: str) -> None:
        self.scale = scale
        self.proc: subprocess.Popen[str] | None = None
        self.writes = 0

    def __enter__(self) -> Writer:
        self.proc = subprocess.Popen(
            [PY, str(ROOT / "bench" / "writer.py")],
            cwd=ROOT,
            env=production_env(self.scale),
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "ready":  # set up, about to write
            raise RuntimeError("bench/writer.py did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc:
            self.proc.send_signal(signal.SIGTERM)
            out, _ = self.proc.communicate(timeout=30)
            self.writes = int(out.strip().splitlines()[-1]) if out.strip() else 0


def workloads(scale: str) -> dict[str, Any]:
    """The long operations: the workbook import on the scale's database, and a year's
    agreements on a fresh city database of their own (made anew each run)."""
    found: dict[str, Any] = {}
    script = [PY, str(ROOT / "bench" / "workloads.py")]
    print(f"== {scale}: importing a 5,000-row workbook", flush=True)
    found.update(json.loads(run([*script, "import"], env=production_env(scale))))
    if scale == "city":
        import psycopg

        print("== city: a year's agreements for 45 units, generated and signed", flush=True)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "kinerja_bench_agreements"')
            conn.execute('CREATE DATABASE "kinerja_bench_agreements"')
        env = {
            **production_env(scale),
            "DATABASE_URL": f"{PG}/kinerja_bench_agreements",
            "KINERJA_MEDIA_ROOT": tempfile.mkdtemp(prefix="kinerja-bench-media-"),
        }
        run([PY, "manage.py", "migrate", "--noinput", "-v0"], env=env)
        run([PY, "manage.py", "generate_data", "--scale", "city"], env=env)
        found.update(json.loads(run([*script, "agreements"], env=env)))
    return found


def bench_scale(scale: str) -> dict[str, Any]:
    prepared = prepare(scale)
    results: dict[str, Any] = {}
    with Server(scale):
        results["first_dashboard_ms"] = first_request_ms(prepared["targets"]["dashboard"])
        for page in (*PAGES, *EXTRA):
            target = prepared["targets"][page]
            print(f"== {scale}: {page} {target['path']}", flush=True)
            wrk(target, 3)  # warm the workers (connections, caches of templates and code)
            measured = wrk(target, DURATION)
            measured["queries"] = prepared["queries"][page]
            if page in prepared.get("shards", {}):
                measured["shards"] = prepared["shards"][page]
            results[page] = measured
        for page in MIXED:
            target = prepared["targets"][page]
            print(f"== {scale}: {page} under a writer (a verified figure a second)", flush=True)
            with Writer(scale) as writer:
                measured = wrk(target, DURATION)
            measured["writes"] = writer.writes
            results[f"{page}_mixed"] = measured
    for page in (*PAGES, *EXTRA, *(f"{p}_mixed" for p in MIXED)):
        floor = results[FLOOR_OF.get(page.removesuffix("_mixed"), "signed_floor")]["p50_ms"]
        results[page]["p50_ratio"] = round(results[page]["p50_ms"] / floor, 2) if floor else None
    results.update(workloads(scale))
    results["uncached_dashboard_ms"] = prepared["uncached_dashboard_ms"]
    results["cache"] = "redis" if production_env(scale)["REDIS_URL"] else "process memory"
    results["rollup_all_grades_s"] = prepared["rollup_all_grades_s"]
    results["governments"] = prepared["governments"]
    results["realisations"] = prepared["realisations"]
    results["measured_on"] = time.strftime("%Y-%m-%d")
    if scale == "citus":
        results["cluster"] = citus_answers()
    return results


def table(results: dict[str, Any]) -> str:
    scales = list(results)
    lines = [
        f"{'page':<28}"
        + "".join(
            f"{s + ' p50':>12}{'p99':>9}{'rps':>9}{'×floor':>8}{'queries':>9}" for s in scales
        )
    ]
    for page in (*PAGES, *EXTRA, *(f"{p}_mixed" for p in MIXED)):
        row = f"{page:<28}"
        for s in scales:
            r = results[s].get(page, {})
            row += f"{r.get('p50_ms', '-'):>12}{r.get('p99_ms', '-'):>9}{r.get('rps', '-'):>9}"
            row += f"{r.get('p50_ratio', '-'):>8}{r.get('queries', r.get('writes', '-')):>9}"
        lines.append(row)
    lines.append(
        "×floor: p50 over the signed-in floor's (the portal and the floor: over /healthz's); "
        "the last column of a _mixed row is the figures verified meanwhile."
    )
    for s in scales:
        r = results[s]
        lines.append(
            f"{s}: {r['governments']} governments, {r['realisations']} realisations, cache "
            f"{r['cache']}; the dashboard computed from nothing {r['uncached_dashboard_ms']} ms, "
            f"a fresh worker's first dashboard {r['first_dashboard_ms']} ms; "
            f"national roll-up of every government's SAKIP grade {r['rollup_all_grades_s']} s"
        )
        poll, floor = r["hearing_poll"]["rps"], r["floor"]["rps"]
        lines.append(
            f"{s}: hearing poll {poll} requests/s, {poll / floor:.0%} of the floor's; "
            f"5,000-row workbook imported in {r['import_5000']['total_s']} s "
            f"(read {r['import_5000']['read_s']} s)"
        )
        if "agreements_45" in r:
            a = r["agreements_45"]
            lines.append(
                f"{s}: {a['agreements']} agreements generated in {a['generate_s']} s and signed "
                f"({a['signatures']} signatures) in {a['total_s']} s in all"
            )
    for a, b in (("city", "national"), ("national", "citus")):
        if a not in results or b not in results:
            continue
        worst = max(
            (abs(results[b][p][m] / results[a][p][m] - 1), p, m)
            for p in (*PAGES, *EXTRA, *(f"{q}_mixed" for q in MIXED))
            for m in ("p50_ms", "p99_ms", "rps")
            if results[a][p][m]
        )
        lines.append(
            f"largest {b}/{a} difference of any page: {worst[0]:.0%} ({worst[1]} {worst[2]})"
        )
    if "citus" in results:
        r = results["citus"]
        lines.append(f"citus: {r.get('cluster')}; shards read per statement (EXPLAIN):")
        for page in (*PAGES, *EXTRA):
            shards = r[page].get("shards")
            if shards:
                steady, cold = shards["steady"], shards["cold"]
                lines.append(
                    f"  {page:<28} steady {steady['statements']} statements, at most "
                    f"{steady['max_tasks']} shard(s); from nothing {cold['statements']} "
                    f"statements, at most {cold['max_tasks']} shard(s)"
                    + (
                        f"; wider: {cold['wide'] + steady['wide']}"
                        if cold["wide"] or steady["wide"]
                        else ""
                    )
                )
        same = all(
            r[p]["queries"] == results["national"][p]["queries"]
            for p in (*PAGES, *EXTRA)
            if "national" in results
        )
        lines.append(f"citus: queries per page equal to the single server's: {same}")
    return "\n".join(lines)


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk not found: `make bench` installs Debian's wrk first.")
    path = ROOT / "bench" / "results.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    for scale in SCALES:
        if scale == "citus":
            found = citus_answers()
            if found is None:
                print(f"== citus: no coordinator answers at {CITUS}; skipping the citus scale.")
                continue
            print(f"== citus: {found}", flush=True)
        results[scale] = bench_scale(scale)
        path.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    print(f"\nwritten: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
