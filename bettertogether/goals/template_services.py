"""Writes of cycle templates: a network copies a template (built in or its own) and edits
the copy: its name, whether coaches are offered it, and its stages with the expected
length of each.

Only the network's admins change its templates; the built-in ones are read-only. A
template a running cycle started from can still change: a cycle copies the stages when it
starts (`cycles.cycle_start`), so it keeps the ones it started with.

Stages keep contiguous positions 1…n under a unique (template, position) constraint that
is checked row by row, so reordering parks rows on free positions first (0 for a swap,
n + PARK for a renumbering) inside the template's locked transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.coaching.rules import administers_network
from bettertogether.directory.models import Organisation

from .models import CycleTemplate, Purpose, TemplateStage

MAX_STAGES = 20
MAX_DAYS = 90
PARK = 1000  # above any real position: every row moves past the others, then back


def _require_admin_of(actor, network: Organisation) -> None:
    if not administers_network.test(actor, network):  # goals.manage_templates
        raise PermissionDenied("Only the network's admins change its cycle templates.")


def _locked(actor, template: CycleTemplate) -> CycleTemplate:
    """The template, locked for this transaction, if the actor may change it."""
    if not actor.has_perm("goals.change_template", template):
        raise PermissionDenied("Built-in templates are read-only: make a copy to change it.")
    return CycleTemplate.objects.select_for_update().get(pk=template.pk)


def _name_taken(network_id: int, name: str, exclude_pk: int | None = None):
    return (CycleTemplate.objects.filter(network_id=network_id, name__iexact=name)
            .exclude(pk=exclude_pk).first())


def _taken_error(name: str) -> ValidationError:
    return ValidationError({"name": _("Your network already has a template called "
                                      "“%(name)s”.") % {"name": name}})


@transaction.atomic
def template_copy(*, actor, template: CycleTemplate, network: Organisation,
                  name: str) -> CycleTemplate:
    """Copy a built-in template, or one of the network's, with all its stages.

    Copying the same template under the same name again (a double click) returns the
    copy already made.
    """
    _require_admin_of(actor, network)
    if template.network_id not in (None, network.pk):
        raise PermissionDenied("A network copies the built-in templates or its own.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the copy a name.")})
    existing = _name_taken(network.pk, name)
    if existing is not None:
        if existing.copied_from_id == template.pk:
            return existing
        raise _taken_error(name)
    copy = CycleTemplate(network=network, name=name, description=template.description,
                         copied_from=template, is_active=True)
    copy.full_clean(exclude=["network", "copied_from"], validate_constraints=False)
    try:
        with transaction.atomic():
            copy.save()
    except IntegrityError as exc:  # the same name, saved a moment ago by a twin request
        existing = _name_taken(network.pk, name)
        if existing is not None and existing.copied_from_id == template.pk:
            return existing
        raise _taken_error(name) from exc
    stages = list(template.stages.order_by("position"))
    TemplateStage.objects.bulk_create([
        TemplateStage(template=copy, position=position, name=s.name, purpose=s.purpose,
                      guidance=s.guidance, expected_days=s.expected_days,
                      collects_evidence=s.collects_evidence)
        for position, s in enumerate(stages, start=1)])
    activity_record(actor=actor, action="cycle_template.copy", target=copy,
                    organisation=network, label=copy.name, details={"count": len(stages)})
    return copy


@transaction.atomic
def template_update(*, actor, template: CycleTemplate, name: str, description: str,
                    is_active: bool) -> CycleTemplate:
    template = _locked(actor, template)
    values = {"name": name.strip(), "description": description.strip(),
              "is_active": is_active}
    if not values["name"]:
        raise ValidationError({"name": _("Give the template a name.")})
    if _name_taken(template.network_id, values["name"], exclude_pk=template.pk):
        raise _taken_error(values["name"])
    changed = [field for field, value in values.items() if getattr(template, field) != value]
    if not changed:
        return template
    for field, value in values.items():
        setattr(template, field, value)
    template.full_clean(exclude=["network", "copied_from"], validate_constraints=False)
    template.save(update_fields=changed)
    activity_record(actor=actor, action="cycle_template.update", target=template,
                    organisation=template.network, label=template.name,
                    details={"fields": changed})
    return template


def _renumber(template: CycleTemplate, ordered: list[TemplateStage]) -> None:
    """Give `ordered` the positions 1…n: two queries, whatever moves."""
    if all(stage.position == i for i, stage in enumerate(ordered, start=1)):
        return
    TemplateStage.objects.filter(template=template).update(position=F("position") + PARK)
    for i, stage in enumerate(ordered, start=1):
        stage.position = i
    TemplateStage.objects.bulk_update(ordered, ["position"])


def _check_stage(stage: TemplateStage, *, position: int, count: int) -> None:
    errors = {}
    if not stage.name:
        errors["name"] = _("Give the stage a name.")
    if stage.purpose not in Purpose.values:
        errors["purpose"] = _("Choose what the stage is for.")
    if not 1 <= stage.expected_days <= MAX_DAYS:
        errors["expected_days"] = _("Choose from 1 to %(max)s days.") % {"max": MAX_DAYS}
    if not 1 <= position <= count:
        errors["position"] = _("Choose a place from 1 to %(n)s.") % {"n": count}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def template_stage_save(
    *, actor, template: CycleTemplate, stage: TemplateStage | None = None, name: str,
    purpose: str, guidance: str, expected_days: int, collects_evidence: bool,
    position: int | None = None,
) -> TemplateStage:
    """Add a stage (at `position`, or last) or change one (and move it to `position`)."""
    template = _locked(actor, template)
    stages = list(template.stages.order_by("position"))
    if stage is not None:
        stage = next((s for s in stages if s.pk == stage.pk), None)
        if stage is None:
            raise PermissionDenied("That stage is not in this template.")
    elif len(stages) >= MAX_STAGES:
        raise ValidationError(_("A template has at most %(n)s stages.") % {"n": MAX_STAGES})
    count = len(stages) if stage is not None else len(stages) + 1
    row = stage or TemplateStage(template=template, position=count)
    position = position or row.position
    row.name, row.purpose, row.guidance = name.strip(), purpose, guidance.strip()
    row.expected_days, row.collects_evidence = expected_days, collects_evidence
    _check_stage(row, position=position, count=count)
    row.full_clean(exclude=["template"], validate_constraints=False)
    created = row.pk is None
    if created:
        row.save()
    else:
        row.save(update_fields=["name", "purpose", "guidance", "expected_days",
                                "collects_evidence"])
    ordered = [s for s in stages if s.pk != row.pk]
    ordered.insert(position - 1, row)
    _renumber(template, ordered)
    activity_record(actor=actor, action="template_stage.create" if created
                    else "template_stage.update", target=row,
                    organisation=template.network, label=f"{row.name} ({template.name})",
                    details={"count": count})
    return row


@transaction.atomic
def template_stage_delete(*, actor, stage: TemplateStage) -> None:
    template = _locked(actor, stage.template)
    stages = list(template.stages.order_by("position"))
    if stage.pk not in {s.pk for s in stages}:
        raise PermissionDenied("That stage is not in this template.")
    if len(stages) == 1:
        raise ValidationError(_("A template keeps at least one stage: add another before "
                                "you delete this one."))
    activity_record(actor=actor, action="template_stage.delete", target=stage,
                    organisation=template.network, label=f"{stage.name} ({template.name})",
                    details={"count": len(stages) - 1})
    TemplateStage.objects.filter(pk=stage.pk).delete()
    _renumber(template, [s for s in stages if s.pk != stage.pk])


@transaction.atomic
def template_stage_move(*, actor, stage: TemplateStage, direction: str) -> TemplateStage:
    """Swap a stage with the one before ("up") or after ("down"); at an end, no change."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a stage up or down."))
    template = _locked(actor, stage.template)
    stages = list(template.stages.order_by("position"))
    index = next((i for i, s in enumerate(stages) if s.pk == stage.pk), None)
    if index is None:
        raise PermissionDenied("That stage is not in this template.")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(stages):
        return stages[index]
    moving, neighbour = stages[index], stages[other]
    here, there = moving.position, neighbour.position
    TemplateStage.objects.filter(pk=moving.pk).update(position=0)  # a free place to wait
    TemplateStage.objects.filter(pk=neighbour.pk).update(position=here)
    TemplateStage.objects.filter(pk=moving.pk).update(position=there)
    moving.position = there
    activity_record(actor=actor, action="template_stage.move", target=moving,
                    organisation=template.network, label=f"{moving.name} ({template.name})")
    return moving
