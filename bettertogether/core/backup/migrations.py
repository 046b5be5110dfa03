"""Where an archive's schema stands against this code's.

The manifest lists the migrations applied to the database it holds, app by app. An archive
with a migration this code does not have comes from a newer version (or another branch): its
tables may hold columns this code does not know, and restoring it would break the app, so it
is refused. An archive without some of this code's migrations is older: it is restored as it
is, then migrated forward.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


def applied(connection) -> dict[str, list[str]]:
    """The migrations applied to a database, by app, each list in name order."""
    found: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        found.setdefault(app_label, []).append(name)
    return found


@dataclass(frozen=True)
class Standing:
    unknown: list[str]  # "app.name" the archive has and this code does not
    pending: list[str]  # "app.name" this code has and the archive does not

    @property
    def newer(self) -> bool:
        return bool(self.unknown)


def standing(archived: dict[str, list[str]]) -> Standing:
    """Compare an archive's migrations with the code's, for the apps this code migrates."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = set(loader.disk_migrations)
    theirs = {(app, name) for app, names in archived.items() for name in names}
    unknown = {key for key in theirs - ours if key[0] in loader.migrated_apps}
    pending = ours - theirs
    return Standing(unknown=sorted(f"{app}.{name}" for app, name in unknown),
                    pending=sorted(f"{app}.{name}" for app, name in pending))
