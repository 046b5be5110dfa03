"""A PostgreSQL server of the soak's own, so it can be restarted mid-run.

Restarting the machine's cluster (`pg_ctlcluster 15 main restart`) would break every other
program using it — a test suite running alongside, another benchmark. The soak therefore
makes a throwaway instance of the installed PostgreSQL (`initdb` into a temporary folder,
listening on 127.0.0.1 at a port of its own) and restarts *that* one, exactly as the
cluster would be restarted: `pg_ctl restart -m fast` ends every connection, rolls back
every open transaction and comes back. As root the server runs as the `postgres` user,
which PostgreSQL requires.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg


def _bin_dir() -> Path:
    """The newest installed PostgreSQL's programs (Debian keeps them per version)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                      else 0)
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise SystemExit("No PostgreSQL server programs found (initdb): install PostgreSQL 15+.")


class Instance:
    def __init__(self, *, port: int, log_path: Path):
        self.port = port
        self.log_path = log_path
        self.bin = _bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="bt-soak-pg-"))
        self.data = self.root / "data"
        self.owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        self.restarts: list[float] = []

    @property
    def version(self) -> str:
        return self.bin.parent.name

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        if self.owner is not None:
            command = ("runuser", "-u", "postgres", "--", *command)
        return subprocess.run(command, check=check, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, cwd=self.root)

    def create(self) -> None:
        if self.owner is not None:
            os.chown(self.root, self.owner.pw_uid, self.owner.pw_gid)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.touch()
        if self.owner is not None:
            os.chown(self.log_path, self.owner.pw_uid, self.owner.pw_gid)

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.root} -c max_connections=100 "
                   "-c shared_buffers=128MB -c jit=off")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log_path),
                  "-o", options, "-w", "-t", "60", *extra, action)

    def start(self) -> None:
        self._pg_ctl("start")
        self.wait()

    def restart(self, *, down: float = 0.0) -> float:
        """Stop with every connection ended (`-m fast`: open transactions roll back), stay
        down `down` seconds, start again; returns the seconds it was unreachable."""
        started = time.monotonic()
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        time.sleep(down)
        self._pg_ctl("start")
        self.wait()
        took = time.monotonic() - started
        self.restarts.append(took)
        return took

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
