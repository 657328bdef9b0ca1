"""Load test: gunicorn + PostgreSQL on this machine, 32 users for 60 seconds.

    python3 scripts/load_test.py [--users 32] [--seconds 60] [--think-ms 500-1500]
                                 [--private-cluster | --database URL]

What it does, all on 127.0.0.1:
1. starts a throwaway PostgreSQL cluster of its own (``--private-cluster``, the
   default: operations/pg_cluster.py, initdb in a temporary folder, a
   free port, fsync on as in production), or uses the database at ``--database``
   (created if missing); migrates it and loads the articles' data with the demo
   accounts (``manage.py seed_demo``);
2. collects the static files and starts gunicorn with ``deploy/gunicorn.conf.py``
   and DEBUG off, as in production (only TLS is left to nginx);
3. runs ``wrk`` (Debian package ``wrk``): each of the N connections is one
   signed-in official who opens a page, reads it for a random 0.5–1.5 s
   (``--think-ms``) and opens the next: the dashboard, the four lists (plain and
   filtered), a partner's dossier, a search and the period report;
4. prints requests per second, p50/p95/p99 latency and the error count (socket
   errors, timeouts and any status other than 200), then stops gunicorn and
   removes the private cluster, also after Ctrl-C, SIGTERM or an error.

Targets (issue 5): zero errors and p95 under 200 ms on a 2-core machine. The
latency is measured per request; the think time is not counted in it.
"""

import argparse
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from operations.pg_cluster import PrivateCluster  # noqa: E402 - needs ROOT on the path; standard library only

PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():
    PYTHON = Path(sys.executable)

PATHS = [
    "/",
    "/delegations/",
    "/delegations/?direction=out&year=2023",
    "/agreements/",
    "/projects/",
    "/projects/?kind=oda",
    "/partners/",
    "/partners/{guangxi}/",
    "/partners/{bang_tuong}/",
    "/search/?q=bang+tuong",
    "/search/?q=quang+tay",
    "/reports/period/?start=2021-01-01&end=2024-03-31",
    "/reports/period/?preset=year&year=2023",
]

LUA = r"""
local paths = {PATHS}
local cookie = "{COOKIE}"
local think_low, think_high = {THINK_LOW}, {THINK_HIGH}
local threads = {}
math.randomseed(os.time())

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], {["Cookie"] = cookie, ["Host"] = "127.0.0.1"})
end

function delay()
  return math.random(think_low, think_high)
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.2f p50=%.1f p95=%.1f p99=%.1f max=%.1f "
    .. "non200=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    not_ok, e.connect, e.read, e.write, e.timeout))
end
"""


def run(*args, env, **kwargs):
    return subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603


def django_value(code, env):
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [str(PYTHON), "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think-ms", default="500-1500", help="think time between a user's pages, low-high ms")
    parser.add_argument("--port", type=int, default=8090)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--private-cluster",
        action="store_true",
        help="a throwaway PostgreSQL cluster of its own, removed at the end (the default)",
    )
    where.add_argument(
        "--database",
        help="an existing PostgreSQL server's database instead, e.g. "
        "postgres://postgres@127.0.0.1:5432/lsa_load (created if missing, kept)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `apt-get install wrk` (Debian package).")
    # SIGTERM unwinds like Ctrl-C, through the finally blocks that stop gunicorn and the cluster.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    print(f"== load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} ({os.cpu_count()} cores)")
    if args.database:
        name = args.database.rsplit("/", 1)[1]
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], stderr=subprocess.DEVNULL)  # noqa: S603,S607
        return load(args, args.database)
    cluster = PrivateCluster(prefix="lsa-load-", fsync=True)
    try:
        print(f"== private PostgreSQL cluster in {cluster.folder}, port {cluster.port}")
        cluster.start()
        return load(args, cluster.create_database("lsa_load"))
    finally:
        cluster.stop()
        print("== private cluster stopped and removed")


def load(args, database):
    think_low, think_high = (int(v) for v in args.think_ms.split("-"))

    static_root = tempfile.mkdtemp(prefix="lsa-static-")
    env = dict(
        os.environ,
        DATABASE_URL=database,
        DJANGO_SECRET_KEY="load-test-" + "k" * 50,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=static_root,
    )
    print(f"== database {database}: migrate, articles' data, demo accounts")
    run("migrate", "-v0", env=env)
    run("seed_demo", env={**env, "DJANGO_DEBUG": "1"}, stdout=subprocess.DEVNULL)
    run("collectstatic", "--noinput", "-v0", env=env)
    ids = django_value(
        "from partners.models import Partner as P; "
        "print(P.objects.get(name='Khu tự trị dân tộc Choang Quảng Tây').pk, P.objects.get(name='Bằng Tường').pk)",
        env,
    ).split()
    session = django_value(
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY; "
        "from django.contrib.sessions.backends.db import SessionStore; "
        "u = get_user_model().objects.get(username='official'); s = SessionStore(); "
        "s[SESSION_KEY] = str(u.pk); s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'; "
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create(); print(s.session_key)",
        env,
    )
    paths = [p.format(guangxi=ids[0], bang_tuong=ids[1]) for p in PATHS]

    base = f"http://127.0.0.1:{args.port}"
    print(f"== gunicorn on {base} (deploy/gunicorn.conf.py, DEBUG off)")
    server = subprocess.Popen(  # noqa: S603
        [str(PYTHON), "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "-b", f"127.0.0.1:{args.port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310 - 127.0.0.1
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not answer /healthz within 30 s")
        for path in paths:  # warm-up, and every page must answer 200 before we load it
            request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - 127.0.0.1
                assert response.status == 200, (path, response.status)
        lua = (
            LUA.replace("{PATHS}", "{" + ", ".join(f'"{p}"' for p in paths) + "}")
            .replace("{COOKIE}", f"sessionid={session}")
            .replace("{THINK_LOW}", str(think_low))
            .replace("{THINK_HIGH}", str(think_high))
        )
        script = Path(static_root) / "load.lua"
        script.write_text(lua)
        threads = min(args.users, os.cpu_count() or 2)
        print(
            f"== wrk: {args.users} users, {args.seconds} s, think time {think_low}-{think_high} ms, {len(paths)} pages"
        )
        out = subprocess.run(  # noqa: S603
            [
                shutil.which("wrk"),
                "-t",
                str(threads),
                "-c",
                str(args.users),
                "-d",
                f"{args.seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
    result = dict(re.findall(r"(\w+)=([\d.]+)", out.split("RESULT", 1)[1]))
    requests, seconds = int(result["requests"]), float(result["seconds"])
    errors = sum(int(result[k]) for k in ("non200", "connect", "read", "write", "timeout"))
    print(f"requests      {requests} in {seconds:.1f} s = {requests / seconds:.1f} req/s")
    print(f"latency (ms)  p50 {result['p50']}  p95 {result['p95']}  p99 {result['p99']}  max {result['max']}")
    print(
        f"errors        {errors} (non-200 {result['non200']}, connect {result['connect']}, read {result['read']}, "
        f"write {result['write']}, timeout {result['timeout']})"
    )
    p95_ok, errors_ok = float(result["p95"]) < 200, errors == 0
    print(f"target p95 < 200 ms: {'PASS' if p95_ok else 'MISS'}; zero errors: {'PASS' if errors_ok else 'MISS'}")
    return 0 if p95_ok and errors_ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # gunicorn and the private cluster are already gone (main's finally blocks)
        sys.exit("interrupted")
