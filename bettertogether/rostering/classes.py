"""The roster's classes: new ones added, changed ones updated, those it no longer lists
removed (only when the roster holds every class: a delta removes what it marks removed).

`RosterWriter` (`writer.py`) plans and writes these with the rest of the import; its
`person_ref` and `school_ref` map the roster's ids to stored rows or rows about to be.
"""

from __future__ import annotations

from django.db.models import Q

from .batches import in_chunks, pk_if_stored, pk_of, pk_or_none
from .bulk import insert_rows, update_rows
from .models import RosterClass


class RosterClasses:
    """The classes part of `RosterWriter`."""

    def _plan_classes(self) -> None:
        """New classes as (source id, school, teacher, title, subject, grades, count);
        changed ones as (pk, school, teacher, title, subject, grades, count)."""
        stored = {row[1]: row for row in RosterClass.objects.filter(network=self.network)
                  .values_list("pk", "source_id", "school_id", "teacher_id", "title",
                               "subject", "grades", "student_count")}
        self.new_classes: list[tuple] = []
        changed: dict[int, tuple] = {}
        self.gone_classes: list[int] = []
        seen: set[str] = set()
        person_ref, school_ref = self.person_ref, self.school_ref
        for record in self.roster.classes:
            seen.add(record.source_id)
            existing = stored.get(record.source_id)
            if record.removed:
                if existing is not None:
                    self.gone_classes.append(existing[0])
                continue
            teacher = next((person_ref[t] for t in record.teacher_ids if t in person_ref), None)
            if not record.school_key:  # only its teachers changed (a delta)
                if existing is not None and existing[3] != pk_if_stored(teacher):
                    changed[existing[0]] = (existing[0], existing[2], teacher, *existing[4:])
                continue
            school = school_ref.get(record.school_key)
            if school is None:
                continue
            if existing is None:
                self.new_classes.append((
                    record.source_id, school, teacher, record.title, record.subject,
                    list(record.grades), record.student_count or 0))
                continue
            count = existing[7] if record.student_count is None else record.student_count
            wanted = (existing[0], school, teacher, record.title, record.subject,
                      list(record.grades), count)
            if (existing[2], existing[3], *existing[4:]) != (
                    pk_if_stored(school), pk_if_stored(teacher), *wanted[3:]):
                changed[existing[0]] = wanted
        if self.roster.complete_classes:
            self.gone_classes.extend(row[0] for sid, row in stored.items() if sid not in seen)
        self.changed_classes = list(changed.values())

    def _write_classes(self) -> None:
        insert_rows(RosterClass, ["network_id", "source_id", "school_id", "teacher_id", "title",
                                  "subject", "grades", "student_count"],
                    [(self.network.pk, source_id, pk_of(school), pk_or_none(teacher), *rest)
                     for source_id, school, teacher, *rest in self.new_classes])
        update_rows(RosterClass, ["school_id", "teacher_id", "title", "subject", "grades",
                                  "student_count"],
                    [(pk_of(school), pk_or_none(teacher), *rest, pk)
                     for pk, school, teacher, *rest in self.changed_classes])
        for chunk in in_chunks(self.gone_classes):
            RosterClass.objects.filter(Q(pk__in=chunk), network=self.network).delete()
