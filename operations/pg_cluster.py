"""A throwaway PostgreSQL cluster of our own: initdb in a temporary folder, a free port.

For measurements that must not touch the shared cluster on 5432 nor share it
with anyone: the hung-database test (tests/test_db_hang.py) pauses every
process of one, the load test (scripts/load_test.py) runs against one. Nothing
here knows the register; only the standard library is used, so a script run
with the system's ``python3`` can import it.

    cluster = PrivateCluster()
    try:
        cluster.start()
        url = cluster.create_database("register")
        ...
    finally:
        cluster.stop()  # also after Ctrl-C: stops the server, removes the folder
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def available():
    """Whether this machine has the server programs (initdb, pg_ctl) and the clients we call."""
    return (PG_BIN / "initdb").exists() and all(shutil.which(name) for name in ("pg_dump", "psql", "createdb"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(command, **kwargs):
    """PostgreSQL refuses to run as root: run its programs as the postgres user then."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, **kwargs)  # noqa: S603


class PrivateCluster:
    """One PostgreSQL 15 server on 127.0.0.1 and a free port, user postgres, trust auth.

    ``fsync=False`` (the default) suits a test that only needs the server to
    answer; a measurement of production's speed passes ``fsync=True``.
    """

    def __init__(self, prefix="lsa-pg-", fsync=False):
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.data, self.port, self.fsync = self.folder / "data", free_port(), fsync

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def start(self):
        as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"])
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        if not self.fsync:
            options += " -c fsync=off"
        log = str(self.folder / "log")  # not our pipe: the server would hold it open
        as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start"])

    def create_database(self, name):
        """An empty database in this cluster: its URL."""
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name], check=True)  # noqa: S603, S607
        return f"{self.url}/{name}"

    def copy_database(self, name, source_url):
        """A copy of the database at ``source_url`` (any cluster) in this one: its URL."""
        target = self.create_database(name)
        dump = subprocess.Popen(["pg_dump", "--no-owner", source_url], stdout=subprocess.PIPE)  # noqa: S603, S607
        subprocess.run(  # noqa: S603
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", target],  # noqa: S607
            stdin=dump.stdout,
            check=True,
            capture_output=True,
        )
        if dump.wait() != 0:
            raise subprocess.CalledProcessError(dump.returncode, "pg_dump")
        return target

    def processes(self):
        """The postmaster and every process it forked."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()  # noqa: S603, S607
        return [postmaster, *map(int, children)]

    def signal(self, number):
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)

    def stop(self):
        """Stop the server (resumed first if paused) and remove the folder; safe to call whatever state it is in."""
        with contextlib.suppress(FileNotFoundError, ValueError):
            self.signal(signal.SIGCONT)
        with contextlib.suppress(subprocess.CalledProcessError):
            as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])
        shutil.rmtree(self.folder, ignore_errors=True)
