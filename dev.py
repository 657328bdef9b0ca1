#!/usr/bin/env python3
"""One entry point for a fresh machine that has only Python 3.11+.

    python3 dev.py serve [--host 127.0.0.1] [--port 8000]
        Create or update .venv from requirements.txt, migrate the SQLite default
        (or DATABASE_URL), load the articles' fixtures and the demo accounts, and
        run the development server with DJANGO_DEBUG=1, and beside it the
        worker of the large imports (manage.py run_jobs), stopped with it.

    python3 dev.py test [--all-databases] [pytest arguments...]
        Create or update .venv from requirements-dev.txt, make sure Debian's
        Chromium is there for the browser tests, run `ruff check .`, then pytest
        on DATABASE_URL (SQLite by default), or with --all-databases on SQLite and
        then on the local PostgreSQL server.

    python3 dev.py setup
        Only create or update .venv with the dev requirements and Chromium (CI uses it).

Running any of them twice is harmless: pip runs again only when the sha256 of
the requirements files differs from the one recorded when they were installed.
"""

# A launcher: it runs pip, apt-get, pg_ctlcluster and manage.py with fixed arguments (S603/S606/S607),
# and compares --host with the wildcard addresses without binding to them itself (S104).
# ruff: noqa: S603, S606, S607, S104

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
VENV_PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".requirements-installed.json"
RUNTIME_REQUIREMENTS = "requirements.txt"
DEV_REQUIREMENTS = "requirements-dev.txt"
CHROMIUM = Path("/usr/bin/chromium")
# Set when this script has re-executed itself inside the venv, so the second
# run skips the bootstrap it has just done.
BOOTSTRAPPED = "LSA_DEV_BOOTSTRAPPED"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/lang_son_affairs"

USAGE = """usage:
  python3 dev.py serve [--host HOST] [--port PORT]
  python3 dev.py test [--all-databases] [pytest arguments...]
  python3 dev.py setup"""


def say(message):
    print(f"[dev.py] {message}", flush=True)


def fail(message, code=1):
    print(f"[dev.py] error: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def is_root():
    return hasattr(os, "geteuid") and os.geteuid() == 0


def inside_venv():
    return Path(sys.prefix).resolve() == VENV.resolve()


# --- the virtualenv -----------------------------------------------------------


def venv_works():
    if not VENV_PYTHON.exists():
        return False
    probe = subprocess.run([str(VENV_PYTHON), "-c", "import sys"], capture_output=True)
    return probe.returncode == 0


def apt_install(*packages):
    """apt-get update, then install; True when it worked. Only as root with apt-get."""
    if not (is_root() and shutil.which("apt-get")):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    say(f"apt-get install -y {' '.join(packages)} (apt-get update first)")
    if subprocess.run(["apt-get", "update"], env=env, stdin=subprocess.DEVNULL).returncode != 0:
        return False
    install = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    return subprocess.run(install, env=env, stdin=subprocess.DEVNULL).returncode == 0


def create_venv():
    if VENV.exists() and not venv_works():
        say(f"{VENV.name} exists but its Python does not run; recreating it")
        shutil.rmtree(VENV)
    if VENV.exists():
        return
    say(f"creating {VENV.name} with {sys.executable} -m venv")
    command = [sys.executable, "-m", "venv", str(VENV)]
    if subprocess.run(command).returncode != 0 or not venv_works():
        # Debian's python3 ships venv without ensurepip unless python3-venv is installed.
        shutil.rmtree(VENV, ignore_errors=True)
        version = f"python3.{sys.version_info.minor}-venv"
        if not (apt_install("python3-venv", version) and subprocess.run(command).returncode == 0 and venv_works()):
            shutil.rmtree(VENV, ignore_errors=True)
            fail(f"could not create {VENV}; on Debian or Ubuntu install python3-venv ({version}) and run this again")


def requirement_files(name, seen=None):
    """The file and every file it includes with -r, in include order."""
    seen = [] if seen is None else seen
    path = (ROOT / name).resolve()
    if path in seen:
        return seen
    seen.append(path)
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*(?:-r|--requirement)[\s=]+(\S+)", line)
        if match:
            requirement_files(str(path.parent / match.group(1)), seen)
    return seen


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_stamp():
    try:
        return json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def install_requirements(name):
    """pip install -r NAME into the venv unless the stamp says these exact files are installed."""
    files = requirement_files(name)
    wanted = {str(path.relative_to(ROOT)): sha256(path) for path in files}
    stamp = read_stamp()
    if all(stamp.get(key) == digest for key, digest in wanted.items()):
        say(f"{name} already installed in {VENV.name} (sha256 unchanged)")
        return
    say(f"installing {name} into {VENV.name} (a minute or two the first time)")
    pip = [str(VENV_PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-r", str(ROOT / name)]
    if subprocess.run(pip, cwd=ROOT).returncode != 0:
        fail(f"pip could not install {name}")
    stamp.update(wanted)
    STAMP.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def ensure_chromium():
    """Debian's Chromium for the browser tests: installed when we can, required in CI."""
    if CHROMIUM.exists():
        return
    if apt_install("chromium") and CHROMIUM.exists():
        return
    if in_ci():
        fail(f"{CHROMIUM} is missing and could not be installed with apt-get; CI needs it for the browser tests")
    say(
        f"warning: {CHROMIUM} is missing and could not be installed (needs root and apt-get); "
        "the browser tests will be skipped. Install it with: sudo apt-get install chromium"
    )


def bootstrap(requirements, chromium):
    """Make the venv ready, then continue this same command inside it."""
    if os.environ.get(BOOTSTRAPPED) == "1" and inside_venv():
        return
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under whatever python3 the machine has
        fail(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    create_venv()
    install_requirements(requirements)
    if chromium:
        ensure_chromium()
    env = dict(os.environ, **{BOOTSTRAPPED: "1"})
    args = [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]]
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "nt":
        sys.exit(subprocess.run(args, env=env).returncode)
    os.execve(str(VENV_PYTHON), args, env)


# --- serve --------------------------------------------------------------------


def parse_serve_args(args):
    host, port = "127.0.0.1", "8000"
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg in {"--host", "--port"} and rest:
            value = rest.pop(0)
        elif arg.startswith(("--host=", "--port=")):
            arg, value = arg.split("=", 1)
        else:
            fail(f"serve does not take {arg!r}\n{USAGE}", code=2)
        if arg == "--host":
            host = value
        else:
            port = value
    if not port.isdigit() or not 0 < int(port) < 65536:
        fail(f"--port must be a port number, not {port!r}", code=2)
    return host, port


def serve(args):
    host, port = parse_serve_args(args)
    bootstrap(RUNTIME_REQUIREMENTS, chromium=False)
    env = dict(os.environ, DJANGO_DEBUG="1")
    bare = host.strip("[]")
    if bare not in {"127.0.0.1", "localhost", "::1"} and "DJANGO_ALLOWED_HOSTS" not in env:
        # Demo mode only: let the chosen address through Django's host check.
        named = f"[{bare}]" if ":" in bare else bare
        env["DJANGO_ALLOWED_HOSTS"] = "*" if bare in {"0.0.0.0", "::"} else f"127.0.0.1,localhost,[::1],{named}"
    address = f"[{bare}]:{port}" if ":" in bare else f"{bare}:{port}"
    shown = "127.0.0.1" if bare in {"0.0.0.0", "::"} else bare
    url = f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"
    manage = [sys.executable, str(ROOT / "manage.py")]
    for step in (["migrate", "--noinput"], ["seed_demo", "--url", url]):
        say("manage.py " + " ".join(step))
        if subprocess.run([*manage, *step], cwd=ROOT, env=env).returncode != 0:
            fail(f"manage.py {step[0]} failed")
    say(f"serving {url} with the background worker (manage.py run_jobs) beside it; Ctrl-C stops both")
    sys.stdout.flush()
    # The worker runs the large imports (register/import_jobs.py); it stops with the server.
    worker = subprocess.Popen([*manage, "run_jobs"], cwd=ROOT, env=env)
    server = subprocess.Popen([*manage, "runserver", address], cwd=ROOT, env=env)
    signal.signal(signal.SIGTERM, lambda signum, frame: server.terminate())  # `kill` stops both too
    try:
        code = server.wait()
    except KeyboardInterrupt:  # Ctrl-C reaches both children; wait for them to finish
        code = server.wait()
    finally:
        if worker.poll() is None:
            worker.terminate()  # SIGTERM: it stops between two batches
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    sys.exit(code)


# --- test ---------------------------------------------------------------------

SUMMARY_LINE = re.compile(r"^=+ (.*\bin [\d.]+s.*) =+$")


def run_pytest(label, pytest_args, env):
    """Run pytest, echoing its output; return (exit code, its summary line)."""
    say(f"pytest on {label}")
    command = [sys.executable, "-m", "pytest", *pytest_args]
    if sys.stdout.isatty():
        command.insert(3, "--color=yes")
    env = dict(env, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
    )
    summary = ""
    for line in process.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        plain = re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
        if SUMMARY_LINE.match(plain):
            summary = SUMMARY_LINE.match(plain).group(1)
    return process.wait(), summary


def counts(summary):
    """'3 failed, 40 passed, 2 skipped, 1 error in 9.1s' -> (passed, failed + errors, skipped)."""
    found = {word: int(number) for number, word in re.findall(r"(\d+) (\w+)", summary)}
    failed = found.get("failed", 0) + found.get("error", 0) + found.get("errors", 0)
    return found.get("passed", 0), failed, found.get("skipped", 0)


def start_postgres():
    """Start the local cluster if nothing answers on 127.0.0.1:5432."""
    if not shutil.which("pg_isready"):
        say("pg_isready not found; trying PostgreSQL at 127.0.0.1:5432 anyway")
        return
    ready = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]
    if subprocess.run(ready).returncode == 0:
        return
    clusters = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not clusters or not shutil.which("pg_ctlcluster"):
        say("PostgreSQL is not running and no local cluster was found to start")
        return
    version = clusters[-1]
    say(f"starting PostgreSQL {version}: pg_ctlcluster --skip-systemctl-redirect {version} main start")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"])
    for _ in range(30):
        if subprocess.run(ready).returncode == 0:
            return
        time.sleep(1)
    say("PostgreSQL did not become ready within 30 s")


def test(args):
    all_databases = "--all-databases" in args
    pytest_args = [arg for arg in args if arg != "--all-databases"]
    bootstrap(DEV_REQUIREMENTS, chromium=True)
    if not CHROMIUM.exists():
        say(f"{CHROMIUM} is missing: the browser tests will be skipped")

    say("ruff check .")
    ruff_code = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT).returncode

    runs = []
    if all_databases:
        sqlite_env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        runs.append(("SQLite", sqlite_env))
        runs.append(("PostgreSQL", dict(os.environ, DATABASE_URL=POSTGRES_URL)))
    else:
        url = os.environ.get("DATABASE_URL", "")
        runs.append(("PostgreSQL" if url.startswith(("postgres", "pgsql")) else "SQLite", dict(os.environ)))

    results = []
    for label, env in runs:
        if label == "PostgreSQL" and all_databases:
            start_postgres()
        code, summary = run_pytest(label, pytest_args, env)
        results.append((label, code, summary))

    print()
    say("summary")
    # Lint is part of the suite: findings fail the run like a failing test.
    print(f"ruff check: {'clean' if ruff_code == 0 else 'FINDINGS (see above)'}")
    for label, code, summary in results:
        print(f"{label} pytest (exit {code}): {summary or 'no summary line'}")
    # The plain closing lines, one per database: 'Label: N passed, N failed, N skipped'.
    for label, _code, summary in results:
        passed, failed, skipped = counts(summary)
        print(f"{label}: {passed} passed, {failed} failed, {skipped} skipped")

    failing = [code for _label, code, _summary in results if code != 0]
    sys.exit(failing[0] if failing else (1 if ruff_code else 0))


def setup(args):
    if args:
        fail(f"setup takes no arguments\n{USAGE}", code=2)
    bootstrap(DEV_REQUIREMENTS, chromium=True)
    say(f"{VENV.name} is ready: {VENV_PYTHON}")


def main(argv):
    commands = {"serve": serve, "test": test, "setup": setup}
    if not argv or argv[0] not in commands:
        print(__doc__ if argv and argv[0] in {"-h", "--help", "help"} else USAGE)
        sys.exit(0 if argv and argv[0] in {"-h", "--help", "help"} else 2)
    commands[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
