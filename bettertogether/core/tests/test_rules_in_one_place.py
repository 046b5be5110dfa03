"""Each trust rule lives in one place: its app's `rules.py` (see docs/rules.md).

This reads the code of the apps below with `ast` and fails on the checks that used to be
written inline in views, services, selectors and forms, so that they cannot come back:

- comparing a row's owner (`x.coach_id`, `x.teacher_id`, `x.owner_id`, `x.recipient_id`,
  `x.leader_id`, `x.requested_by_id`) with the acting person (`actor.pk`,
  `request.user.pk`, `user.pk`);
- "is the actor one of its teachers" written out: `any(t.pk == actor.pk for t in …)` or
  `x.teachers.filter(pk=actor.pk)`;
- reading a role off the scope (`scope_for(actor).is_coach`, `scope.is_teacher`, …) or
  testing a network against the actor's `admin_network_ids` with `in`;
- a template comparing an object's person with the signed-in person
  (`{% if obj.coach_id != user.pk %}`).

A new check is a predicate in the app's `rules.py` (and, where a list is filtered by it,
its set form beside it); the code calls that.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the bettertogether package
APPS = ["goals", "coaching", "menu", "notifications", "reports", "activity", "core",
        "directory", "accounts", "rostering"]
OWNER_FIELDS = {"coach_id", "teacher_id", "owner_id", "recipient_id", "leader_id",
                "requested_by_id"}
ROLE_FLAGS = {"is_coach", "is_teacher", "is_leader", "is_network_admin"}
ACTOR_NAMES = {"actor", "user", "viewer"}


def _modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts or path.name == "rules.py":
                continue
            found.append(path)
    return found


def _is_actor_pk(node: ast.AST) -> bool:
    """`actor.pk`, `user.pk`, `request.user.pk`."""
    if not (isinstance(node, ast.Attribute) and node.attr == "pk"):
        return False
    owner = node.value
    if isinstance(owner, ast.Name):
        return owner.id in ACTOR_NAMES
    return (isinstance(owner, ast.Attribute) and owner.attr == "user"
            and isinstance(owner.value, ast.Name) and owner.value.id == "request")


def _is_owner_field(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in OWNER_FIELDS


def _inline_checks(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if (any(_is_actor_pk(side) for side in sides)
                    and any(_is_owner_field(side) for side in sides)):
                found.append((node.lineno, "an owner compared with the actor"))
        if isinstance(node, ast.GeneratorExp | ast.ListComp | ast.SetComp):
            loops_over_teachers = any(
                isinstance(gen.iter, ast.Call) and isinstance(gen.iter.func, ast.Attribute)
                and gen.iter.func.attr == "all"
                and isinstance(gen.iter.func.value, ast.Attribute)
                and gen.iter.func.value.attr in ("teachers", "attendees")
                for gen in node.generators)
            compares_actor = any(
                isinstance(inner, ast.Compare)
                and any(_is_actor_pk(side) for side in [inner.left, *inner.comparators])
                for inner in ast.walk(node.elt))
            if loops_over_teachers and compares_actor:
                found.append((node.lineno, "one of its teachers, written out"))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "filter"
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr in ("teachers", "attendees")
                and any(_is_actor_pk(kw.value) for kw in node.keywords)):
            found.append((node.lineno, "one of its teachers, queried inline"))
        if isinstance(node, ast.Attribute) and node.attr in ROLE_FLAGS:
            base = node.value
            from_scope = (
                (isinstance(base, ast.Name) and base.id == "scope")
                or (isinstance(base, ast.Call) and isinstance(base.func, ast.Name)
                    and base.func.id == "scope_for"))
            if from_scope:
                found.append((node.lineno, f"a role read off the scope ({node.attr})"))
        if isinstance(node, ast.Compare) and any(
                isinstance(op, ast.In | ast.NotIn) for op in node.ops):
            for side in node.comparators:
                if isinstance(side, ast.Attribute) and side.attr == "admin_network_ids":
                    found.append((node.lineno, "a network tested against the actor's"))
    return found


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_no_trust_check_is_written_inline_outside_rules():
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        found += [f"{_relative(path)}:{line}: {what}" for line, what in _inline_checks(tree)]
    assert found == []


TEMPLATE_COMPARISON = re.compile(
    r"{%\s*(?:if|elif)\b[^%]*\b\w+\.(?:coach|teacher|owner|recipient|leader)(?:_id)?\s*"
    r"(?:==|!=)\s*(?:request\.)?user(?:\.pk)?\b")


def test_no_template_compares_an_owner_with_the_signed_in_person():
    found = []
    for app in [*APPS, "templates"]:
        for path in sorted((ROOT / app).rglob("*.html")):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if TEMPLATE_COMPARISON.search(line):
                    found.append(f"{_relative(path)}:{number}")
    assert found == []


@pytest.mark.parametrize("source, expected", [
    ("if cycle.coach_id != actor.pk: pass", ["an owner compared with the actor"]),
    ("ok = goal.coach_id == request.user.pk", ["an owner compared with the actor"]),
    ("ok = any(t.pk == actor.pk for t in cycle.teachers.all())",
     ["one of its teachers, written out"]),
    ("ok = cycle.teachers.filter(pk=actor.pk).exists()", ["one of its teachers, queried inline"]),
    ("ok = scope_for(actor).is_coach", ["a role read off the scope (is_coach)"]),
    ("ok = network.pk in scope.admin_network_ids", ["a network tested against the actor's"]),
    ("ok = rules.is_its_coach.test(actor, cycle)", []),
    ("ok = teacher.pk == other.pk", []),
])
def test_the_scan_recognises_each_inline_pattern(source, expected):
    assert [what for _line, what in _inline_checks(ast.parse(source))] == expected


def test_the_template_scan_recognises_a_comparison():
    assert TEMPLATE_COMPARISON.search("{% if c.coach_id != user.pk %}x{% endif %}")
    assert TEMPLATE_COMPARISON.search("{% if obj.coach == request.user %}")
    assert not TEMPLATE_COMPARISON.search("{% if not c.led_by_me %}")
