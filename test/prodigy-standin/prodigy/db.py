"""SQLite database of the Prodigy stand-in, with Prodigy's three tables: dataset, example, link."""
import json
import re
import sqlite3
import threading
import time
from pathlib import Path

from .errors import StandinError
from .hashing import INPUT_HASH_ATTR, TASK_HASH_ATTR

SCHEMA = """
CREATE TABLE IF NOT EXISTS "dataset" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "name" VARCHAR(255) NOT NULL,
  "created" INTEGER NOT NULL,
  "meta" BLOB NOT NULL,
  "session" INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "dataset_name" ON "dataset" ("name");
CREATE TABLE IF NOT EXISTS "example" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "input_hash" BIGINT NOT NULL,
  "task_hash" BIGINT NOT NULL,
  "content" BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS "link" (
  "id" INTEGER NOT NULL PRIMARY KEY,
  "example_id" INTEGER NOT NULL,
  "dataset_id" INTEGER NOT NULL,
  FOREIGN KEY ("example_id") REFERENCES "example" ("id"),
  FOREIGN KEY ("dataset_id") REFERENCES "dataset" ("id")
);
CREATE INDEX IF NOT EXISTS "link_example_id" ON "link" ("example_id");
CREATE INDEX IF NOT EXISTS "link_dataset_id" ON "link" ("dataset_id");
"""

_BAD_NAME = re.compile(r"[,\s]")


def dumps_example(example):
    # Compact ASCII JSON, like the ujson/srsly output Prodigy writes.
    return json.dumps(example, separators=(",", ":"))


def check_dataset_name(name):
    if not name or _BAD_NAME.search(name):
        raise StandinError(f"Invalid dataset name '{name}': dataset names can't be empty or include commas or whitespace")


class Database:
    """One sqlite file; a short connection per operation so other readers see committed data at once."""

    db_name = "SQLite"
    db_id = "sqlite"

    def __init__(self, location):
        self.location = location
        self._lock = threading.RLock()
        self._memory = None
        if location == ":memory:":
            self._memory = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            try:
                Path(location).parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StandinError(f"Can't create the database folder for {location}", str(err)) from err
        with self._connect() as conn:
            conn.executescript(SCHEMA)

    def _connect(self):
        if self._memory is not None:
            return _Borrowed(self._memory)
        try:
            conn = sqlite3.connect(self.location, timeout=30)
        except sqlite3.Error as err:
            raise StandinError(f"Can't open the database {self.location}", str(err)) from err
        return _Owned(conn)

    def _dataset_id(self, conn, name):
        row = conn.execute('SELECT id FROM "dataset" WHERE name = ?', (name,)).fetchone()
        return row[0] if row else None

    def __contains__(self, name):
        with self._lock, self._connect() as conn:
            return self._dataset_id(conn, name) is not None

    def _names(self, session):
        with self._lock, self._connect() as conn:
            rows = conn.execute('SELECT name FROM "dataset" WHERE session = ? ORDER BY created, id', (1 if session else 0,))
            return [r[0] for r in rows]

    @property
    def datasets(self):
        return self._names(False)

    @property
    def sessions(self):
        return self._names(True)

    def add_dataset(self, name, meta=None, session=False):
        check_dataset_name(name)
        with self._lock, self._connect() as conn:
            return self._ensure_dataset(conn, name, meta or {}, session)

    def _ensure_dataset(self, conn, name, meta, session):
        check_dataset_name(name)
        existing = self._dataset_id(conn, name)
        if existing is not None:
            return existing
        cur = conn.execute('INSERT INTO "dataset" (name, created, meta, session) VALUES (?, ?, ?, ?)',
                           (name, int(time.time()), dumps_example(meta).encode("utf-8"), 1 if session else 0))
        return cur.lastrowid

    def get_meta(self, name):
        with self._lock, self._connect() as conn:
            row = conn.execute('SELECT meta, created, session FROM "dataset" WHERE name = ?', (name,)).fetchone()
        if row is None:
            return None
        meta = json.loads(bytes(row[0]).decode("utf-8") if isinstance(row[0], (bytes, memoryview)) else row[0])
        meta["created"] = row[1]
        meta["session"] = bool(row[2])
        return meta

    def add_examples(self, examples, datasets):
        """Insert examples once and link each to every named dataset (creating datasets as needed)."""
        with self._lock, self._connect() as conn:
            ids = []
            for eg in examples:
                cur = conn.execute('INSERT INTO "example" (input_hash, task_hash, content) VALUES (?, ?, ?)',
                                   (eg[INPUT_HASH_ATTR], eg[TASK_HASH_ATTR], dumps_example(eg).encode("utf-8")))
                ids.append(cur.lastrowid)
            for name, session in datasets:
                ds_id = self._ensure_dataset(conn, name, {}, session)
                conn.executemany('INSERT INTO "link" (example_id, dataset_id) VALUES (?, ?)', [(i, ds_id) for i in ids])
        return len(ids)

    def get_dataset_examples(self, name):
        with self._lock, self._connect() as conn:
            rows = conn.execute('SELECT e.content FROM "example" e JOIN "link" l ON l.example_id = e.id '
                                'JOIN "dataset" d ON d.id = l.dataset_id WHERE d.name = ? ORDER BY l.id', (name,))
            return [json.loads(bytes(r[0]).decode("utf-8") if not isinstance(r[0], str) else r[0]) for r in rows]

    def get_hashes(self, names, column):
        if column not in ("input_hash", "task_hash"):
            raise ValueError(column)
        if not names:
            return set()
        marks = ",".join("?" for _ in names)
        with self._lock, self._connect() as conn:
            rows = conn.execute(f'SELECT e.{column} FROM "example" e JOIN "link" l ON l.example_id = e.id '
                                f'JOIN "dataset" d ON d.id = l.dataset_id WHERE d.name IN ({marks})', list(names))
            return {r[0] for r in rows}

    def count_examples(self, name):
        with self._lock, self._connect() as conn:
            row = conn.execute('SELECT COUNT(*) FROM "link" l JOIN "dataset" d ON d.id = l.dataset_id '
                               'WHERE d.name = ?', (name,)).fetchone()
            return row[0]

    def drop_dataset(self, name):
        """Delete a dataset and its links; examples no longer linked anywhere are deleted too."""
        with self._lock, self._connect() as conn:
            ds_id = self._dataset_id(conn, name)
            if ds_id is None:
                return False
            example_ids = [r[0] for r in conn.execute('SELECT example_id FROM "link" WHERE dataset_id = ?', (ds_id,))]
            conn.execute('DELETE FROM "link" WHERE dataset_id = ?', (ds_id,))
            conn.execute('DELETE FROM "dataset" WHERE id = ?', (ds_id,))
            for eid in example_ids:
                still = conn.execute('SELECT 1 FROM "link" WHERE example_id = ? LIMIT 1', (eid,)).fetchone()
                if still is None:
                    conn.execute('DELETE FROM "example" WHERE id = ?', (eid,))
            return True


class _Owned:
    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        return self.conn

    def __exit__(self, exc_type, *_):
        try:
            if exc_type is None:
                self.conn.commit()
            else:
                self.conn.rollback()
        finally:
            self.conn.close()


class _Borrowed(_Owned):
    def __exit__(self, exc_type, *_):
        if exc_type is None:
            self.conn.commit()
        else:
            self.conn.rollback()
