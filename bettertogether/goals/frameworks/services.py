"""Writes of frameworks: importing one (at once, or as a preview an admin then applies), and
tagging interactions and cycles with its items.

An import reads and checks the whole file, compares it with the network's frameworks and
writes every change in one transaction with one activity entry (its label is the
framework's title: a framework is public text). A file with any problem changes nothing; an
import that would change nothing writes nothing, not even an activity entry.

A preview keeps the uploaded file under MEDIA_ROOT/frameworks/ for a day and hands back a
signed token that names it, the network and the admin; applying reads it again, imports it
and deletes it, so a preview applies once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.coaching.rules import is_author
from bettertogether.directory.models import Organisation
from bettertogether.directory.scope import scope_for

from ..cycles import _label as cycle_label
from ..models import Cycle, Framework, FrameworkItem, InteractionIndicator
from ..rules import is_its_coach
from .plan import Summary, plan_import
from .rules import IMPORT_FRAMEWORKS
from .source import read_framework
from .structure import Problem, Problems

PREVIEW_DIR = "frameworks"
PREVIEW_KEPT = timedelta(days=1)
_PREVIEW_SALT = "bettertogether.goals.framework-preview"


@dataclass
class ImportResult:
    kind: str  # "case", "csv", or "" for a file that is neither
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    problems_total: int = 0
    title: str = ""
    summary: Summary | None = None
    framework: Framework | None = None  # the one it updates (or, once applied, created)
    token: str = ""  # a preview's, to apply it

    @property
    def ok(self) -> bool:
        return self.problems_total == 0

    @classmethod
    def failed(cls, kind: str, dry_run: bool, problems: Problems) -> ImportResult:
        return cls(kind=kind, dry_run=dry_run, problems=list(problems.kept),
                   problems_total=problems.total)


def _require(actor, network: Organisation) -> None:
    """People need the permission; `actor=None` is the system (a seed or a command)."""
    if not network.is_network:
        raise PermissionDenied("Frameworks belong to a network.")
    if actor is not None and not actor.has_perm(IMPORT_FRAMEWORKS, network):
        raise PermissionDenied(IMPORT_FRAMEWORKS)


def framework_import(*, actor, network: Organisation, upload=None, path=None,
                     dry_run: bool = True) -> ImportResult:
    """Import a framework file into the network, or (`dry_run`) say what it would change.
    Give `upload` (an `UploadedFile` or any Django `File`) or `path`. Problems in the file
    are in the result, never raised."""
    _require(actor, network)
    kind, parsed = read_framework(upload=upload, path=path)
    if isinstance(parsed, Problems):
        return ImportResult.failed(kind, dry_run, parsed)
    with transaction.atomic():
        plan = plan_import(network=network, parsed=parsed)
        if isinstance(plan, Problems):
            return ImportResult.failed(kind, dry_run, plan)
        result = ImportResult(kind=kind, dry_run=dry_run, title=parsed.title,
                              summary=plan.summary, framework=plan.framework)
        if dry_run or not (plan.summary.changes or plan.moved):
            return result
        result.framework = plan.write()
        activity_record(actor=actor, action="framework.import", target=result.framework,
                        organisation=network, label=result.framework.title,
                        details={"kind": kind, "count": plan.summary.changes})
        return result


def framework_preview(*, actor, network: Organisation, upload) -> ImportResult:
    """Check an upload and say what it would change; a good one is kept to be applied."""
    result = framework_import(actor=actor, network=network, upload=upload, dry_run=True)
    if not result.ok or not result.summary.changes:
        return result
    _forget_old_previews()
    upload.seek(0)
    suffix = ".json" if result.kind == "case" else ".csv"
    stored = default_storage.save(f"{PREVIEW_DIR}/{uuid.uuid4().hex}{suffix}", upload)
    result.token = signing.dumps({"network": network.pk, "actor": actor.pk, "file": stored},
                                 salt=_PREVIEW_SALT)
    return result


def framework_apply(*, actor, network: Organisation, token: str) -> ImportResult:
    """Apply a preview: import the kept file, then delete it."""
    _require(actor, network)
    try:
        preview = signing.loads(token, salt=_PREVIEW_SALT,
                                max_age=PREVIEW_KEPT.total_seconds())
    except signing.BadSignature as error:
        raise ValidationError(_("This preview has expired. Upload the file again.")) from error
    if preview.get("network") != network.pk or preview.get("actor") != actor.pk:
        raise PermissionDenied("A preview is applied by the admin who made it.")
    stored = str(preview.get("file", ""))
    if not stored.startswith(f"{PREVIEW_DIR}/") or not default_storage.exists(stored):
        raise ValidationError(_("This preview has been applied already, or has expired. "
                                "Upload the file again."))
    try:
        with default_storage.open(stored, "rb") as handle:
            return framework_import(actor=actor, network=network, upload=handle,
                                    dry_run=False)
    finally:
        default_storage.delete(stored)


def _forget_old_previews() -> None:
    """Previews nobody applied within a day lose their file.

    Some storage backends (object stores) do not list folders or report modified times
    and say so with NotImplementedError; there the preview files are left to the bucket's
    own expiry rules.
    """
    try:
        _folders, names = default_storage.listdir(PREVIEW_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - PREVIEW_KEPT
    for name in names:
        path = f"{PREVIEW_DIR}/{Path(name).name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


# --- tagging --------------------------------------------------------------------------------


def _network_items(actor, items: Iterable[FrameworkItem], network_id: int) -> list:
    """The items, once each, if all are of the network's frameworks and the actor's."""
    items = list(dict.fromkeys(items))
    networks = set(FrameworkItem.objects.filter(pk__in=[item.pk for item in items])
                   .values_list("framework__network_id", flat=True))
    if (len(networks | {network_id}) > 1 or network_id not in scope_for(actor).network_ids):
        raise ValidationError({"indicators": _("Choose standards and indicators of your network's "
                                          "frameworks.")})
    return items


@transaction.atomic
def interaction_tag(*, actor, interaction, items: Iterable[FrameworkItem]) -> list:
    """The coach who logged an interaction says which items it touched (all of them: the
    ones not given are untagged)."""
    if not is_author.test(actor, interaction):
        raise PermissionDenied("Only the coach who logged an interaction tags it.")
    items = _network_items(actor, items, interaction.network_id)
    wanted = {item.pk for item in items}
    links = InteractionIndicator.objects.filter(interaction=interaction)
    current = set(links.values_list("item_id", flat=True))
    if wanted == current:
        return items
    links.filter(item_id__in=current - wanted).delete()
    InteractionIndicator.objects.bulk_create(
        [InteractionIndicator(interaction=interaction, item_id=pk) for pk in wanted - current])
    activity_record(actor=actor, action="interaction.tag", target=interaction,
                    organisation=interaction.school or interaction.network,
                    label=interaction.kind.name, details={"count": len(wanted)})
    return items


@transaction.atomic
def cycle_tag(*, actor, cycle: Cycle, items: Iterable[FrameworkItem]) -> list:
    """The cycle's coach says which standards and indicators the cycle works toward."""
    if not is_its_coach.test(actor, cycle):
        raise PermissionDenied("Only the cycle's coach tags it.")
    items = _network_items(actor, items, cycle.network_id)
    current = set(cycle.indicators.values_list("pk", flat=True))
    if {item.pk for item in items} == current:
        return items
    cycle.indicators.set(items)
    cycle.updated_at = timezone.now()
    cycle.save(update_fields=["updated_at"])
    activity_record(actor=actor, action="cycle.tag", target=cycle, organisation=cycle.school,
                    label=cycle_label(cycle), details={"count": len(items)})
    return items
