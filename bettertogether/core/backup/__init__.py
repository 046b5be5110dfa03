"""Backing up a whole server to one archive, and restoring it to an empty one.

`manage.py backup ARCHIVE` writes a zip holding

- `database/…`: the database as its own tools copy it — PostgreSQL's `pg_dump` in its
  custom format, or for SQLite a copy made with SQLite's online backup API;
- `files/…`: every file in the app's file storage (MEDIA_ROOT by default): roster uploads
  still waiting for "Apply", anonymised work samples, report PDFs;
- `manifest.json`: what made it (the app's version, the migrations applied, the database's
  vendor and version), when, and every member's size and SHA-256.

`manage.py restore ARCHIVE` checks all of that before it changes anything, then restores
the database and the files, and brings the database's schema up to this code's with
`migrate` when the archive is older.

Why the database's own tools rather than `dumpdata`/`loaddata`: a restore must give back
exactly what was there — every table (third-party ones, the task queue, sessions), every
sequence's next value, every byte — and the district dataset (two million log entries)
backs up in 25 s into 129 MB and restores in 47 s, where `dumpdata` of the log table alone
takes over three minutes and 767 MB, and `loaddata` saves an object at a time. The price
is that an archive restores only to the same kind of database it came from (PostgreSQL to
PostgreSQL, SQLite to SQLite).

The modules: `archive` (the zip, its manifest and its checks), `database` (each vendor's
dump and restore), `storage` (walking the file storage), `migrations` (what the archive's
schema is against this code's), `create` and `restore` (the two commands' work).
"""
