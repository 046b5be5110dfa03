"""Matching a roster's grades and subjects to the network's lists, adding what is missing.

OneRoster writes grades as CEDS entry-grade codes (KG, 01 … 13, PK …); a plain CSV may
write "3", "K", "Grade 3" or "Year 4". A value matches a network's grade level by code or
by name, with CEDS codes also tried in their short form (KG → K, 03 → 3). A grade nobody
has used before is added to the network's list; so is a subject, matched by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bettertogether.directory.models import GradeLevel, Organisation, Subject

# CEDS code → (short code, name, position in teaching order)
CEDS_GRADES = {
    "IT": ("IT", "Infant/toddler", 0),
    "PR": ("PR", "Preschool", 0),
    "PK": ("PK", "Pre-kindergarten", 0),
    "TK": ("TK", "Transitional kindergarten", 0),
    "KG": ("K", "Kindergarten", 0),
    **{f"{n:02d}": (str(n), f"Grade {n}", n) for n in range(1, 14)},
    "PS": ("PS", "Postsecondary", 14),
    "UG": ("UG", "Ungraded", 15),
    "OTHER": ("Other", "Other", 16),
}
_SHORT = {short.lower(): code for code, (short, _name, _pos) in CEDS_GRADES.items()}


def grade_form(value: str) -> tuple[str, str, int]:
    """(code, name, position) for a grade nobody has used before."""
    key = value.strip().upper()
    if key in CEDS_GRADES:
        return CEDS_GRADES[key]
    code = _SHORT.get(value.strip().lower())
    if code is not None:
        return CEDS_GRADES[code]
    return value.strip()[:16], value.strip()[:60], 20


@dataclass
class Vocabulary:
    """The network's grades and subjects, and the ones a roster adds (not yet saved)."""

    network: Organisation
    grade_ids: dict[str, int | GradeLevel] = field(default_factory=dict)
    subject_ids: dict[str, int | Subject] = field(default_factory=dict)
    new_grades: list[GradeLevel] = field(default_factory=list)
    new_subjects: list[Subject] = field(default_factory=list)

    @classmethod
    def load(cls, network: Organisation) -> Vocabulary:
        vocabulary = cls(network)
        for pk, code, name in GradeLevel.objects.filter(network=network).values_list(
            "pk", "code", "name"
        ):
            vocabulary.grade_ids.setdefault(code.lower(), pk)
            vocabulary.grade_ids.setdefault(name.lower(), pk)
        for pk, name in Subject.objects.filter(network=network).values_list("pk", "name"):
            vocabulary.subject_ids.setdefault(name.lower(), pk)
        return vocabulary

    def grade(self, value: str) -> int | GradeLevel:
        key = value.strip().lower()
        found = self.grade_ids.get(key)
        if found is not None:
            return found
        code, name, position = grade_form(value)
        for candidate in (code.lower(), name.lower()):
            found = self.grade_ids.get(candidate)
            if found is not None:
                self.grade_ids[key] = found
                return found
        grade = GradeLevel(network=self.network, code=code, name=name, position=position)
        self.new_grades.append(grade)
        for candidate in (key, code.lower(), name.lower()):
            self.grade_ids.setdefault(candidate, grade)
        return grade

    def subject(self, value: str) -> int | Subject:
        key = value.strip().lower()
        found = self.subject_ids.get(key)
        if found is None:
            found = Subject(network=self.network, name=value.strip()[:80])
            self.new_subjects.append(found)
            self.subject_ids[key] = found
        return found
