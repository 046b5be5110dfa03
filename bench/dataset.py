"""The district dataset in PostgreSQL: built once, cached as a dump, restored when needed.

The cache key hashes every migration, the demo seeders and the seed. The database records
the key it holds in a one-row table `bench_dataset`, so a run can tell whether the data in
place is the data it wants:

- the database holds the key: use it as it is;
- a dump for the key exists in `bench/cache/`: restore it;
- otherwise: recreate the database, migrate, `seed_demo --scale district`, dump.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "bench" / "cache"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bettertogether_bench"


def log(message: str) -> None:
    print(message, flush=True)


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _admin(url: str) -> psycopg.Connection:
    return psycopg.connect(_with_db(url, "postgres"), autocommit=True, connect_timeout=3)


def ensure_postgres(url: str) -> None:
    """Start the local PostgreSQL cluster if nothing answers, and wait until it does."""
    try:
        _admin(url).close()
        return
    except psycopg.OperationalError:
        pass
    versions = sorted(p.name for p in Path("/etc/postgresql").glob("*")) if Path(
        "/etc/postgresql").exists() else []
    for version in versions:
        log(f"Starting PostgreSQL {version}…")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            _admin(url).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _exists(url: str) -> bool:
    with _admin(url) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name(url)])
        return row.fetchone() is not None


def create(url: str) -> None:
    with _admin(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name(url))))


def recreate(url: str) -> None:
    with _admin(url) as conn:
        name = sql.Identifier(db_name(url))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def drop(url: str) -> None:
    with _admin(url) as conn:
        name = sql.Identifier(db_name(url))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def cache_key(seed: int) -> str:
    """Changes whenever a migration, a demo seeder or the seed changes."""
    digest = hashlib.sha256(f"district:{seed}".encode())
    sources = sorted(REPO.glob("bettertogether/*/migrations/*.py"))
    sources += sorted(
        p for p in (REPO / "bettertogether" / "demo").rglob("*.py") if "tests" not in p.parts
    )
    for path in sources:
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def stored_key(url: str) -> str | None:
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT to_regclass('bench_dataset')").fetchone()[0]
        if exists is None:
            return None
        row = conn.execute("SELECT key FROM bench_dataset").fetchone()
        return row[0] if row else None


def _store_key(url: str, key: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_dataset (key text NOT NULL)")
        conn.execute("DELETE FROM bench_dataset")
        conn.execute("INSERT INTO bench_dataset (key) VALUES (%s)", [key])


def _analyze(url: str) -> None:
    """Fresh planner statistics: a restore or a bulk load leaves none."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True)


def prepare(url: str, *, seed: int, env: dict, rebuild: bool, keep_db: bool) -> dict:
    """Make the database hold the district dataset; says what it did and how long it took."""
    started = time.monotonic()
    key = cache_key(seed)
    dump = CACHE / f"district-{key}.dump"
    if not _exists(url):
        create(url)
    elif keep_db:
        log(f"Using database {db_name(url)} as it is (--keep-db).")
        return {"key": stored_key(url), "source": "kept", "seconds": 0.0}
    if not rebuild and stored_key(url) == key:
        log(f"Database {db_name(url)} already holds dataset {key}.")
        return {"key": key, "source": "reused", "seconds": 0.0}
    if not rebuild and dump.exists():
        log(f"Restoring dataset {key} from {dump.relative_to(REPO)}…")
        recreate(url)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--jobs=2", f"--dbname={url}",
             str(dump)],
            check=True,
        )
        _analyze(url)
        return {"key": key, "source": "restored", "seconds": time.monotonic() - started}
    log(f"Building dataset {key} (migrate, seed_demo --scale district)…")
    recreate(url)
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "seed_demo", "--scale", "district", "--seed", str(seed))
    _store_key(url, key)
    _analyze(url)
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = dump.with_suffix(".partial")
    subprocess.run(["pg_dump", "-Fc", f"--file={partial}", f"--dbname={url}"], check=True)
    partial.replace(dump)
    for stale in CACHE.glob("district-*.dump"):
        if stale != dump:
            stale.unlink()
    return {"key": key, "source": "built", "seconds": time.monotonic() - started}
