"""One factory per model. Tests build exactly the world they need from these."""

import datetime

import factory
from django.utils import timezone

from bettertogether.accounts.models import Invitation, token_digest
from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import (
    CaseloadAssignment,
    GradeLevel,
    Membership,
    Organisation,
    Person,
    Role,
    SchoolYear,
    Subject,
    TeacherProfile,
    Term,
)

PASSWORD = "correct-horse-battery"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Network {n}")
    kind = Organisation.Kind.NETWORK
    locale = "en-us"
    time_zone = "America/Chicago"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"School {n}")
    kind = Organisation.Kind.SCHOOL
    network = factory.SubFactory(NetworkFactory)
    locale = factory.SelfAttribute("network.locale")
    time_zone = factory.SelfAttribute("network.time_zone")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person Number{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def with_profile(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            TeacherProfile.objects.get_or_create(person=obj)


class TeacherProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeacherProfile
        django_get_or_create = ("person",)

    person = factory.SubFactory(PersonFactory)
    years_experience = 5
    interests = "Runs the robotics club"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(SchoolFactory)
    network = factory.LazyAttribute(
        lambda m: m.organisation.network if m.organisation.network_id else m.organisation
    )
    role = Role.TEACHER


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"{2020 + n}–{21 + n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=90))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=200))


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    school_year = factory.SubFactory(SchoolYearFactory)
    name = factory.Sequence(lambda n: f"Term {n}")
    starts_on = factory.SelfAttribute("school_year.starts_on")
    ends_on = factory.LazyAttribute(
        lambda t: t.school_year.starts_on + datetime.timedelta(days=100)
    )


class GradeLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeLevel

    network = factory.SubFactory(NetworkFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.Sequence(lambda n: f"Grade {n}")
    position = factory.Sequence(int)


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Subject {n}")


class CaseloadAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseloadAssignment

    coach = factory.SubFactory(PersonFactory)
    teacher = factory.SubFactory(PersonFactory)
    school = factory.SubFactory(SchoolFactory)
    school_year = factory.SubFactory(
        SchoolYearFactory, network=factory.SelfAttribute("..school.network")
    )


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation
        exclude = ("token",)

    token = factory.Sequence(lambda n: f"invitation-token-{n}")
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    full_name = "Ines Invitee"
    organisation = factory.SubFactory(SchoolFactory)
    network = factory.LazyAttribute(
        lambda i: i.organisation.network if i.organisation.network_id else i.organisation
    )
    role = Role.TEACHER
    token_hash = factory.LazyAttribute(lambda i: token_digest(i.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class ActivityEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityEntry

    actor = factory.SubFactory(PersonFactory)
    action = "person.create"
    target_type = "directory.person"
    target_id = 1
    target_label = "Someone"
    organisation = factory.SubFactory(SchoolFactory)
    network = factory.SelfAttribute("organisation.network")


# -- Coaching -------------------------------------------------------------------------------
def _coaching_models():
    from bettertogether.coaching import models

    return models


class SupportKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coaching.SupportKind"

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Support kind {n}")
    default_minutes = 15
    is_contact = True


class InteractionFactory(factory.django.DjangoModelFactory):
    """An interaction row on its own; `teachers=[…]` adds the links as the service would."""

    class Meta:
        model = "coaching.Interaction"
        skip_postgeneration_save = True

    coach = factory.SubFactory(PersonFactory)
    network = factory.SubFactory(NetworkFactory)
    school = None
    kind = factory.LazyFunction(lambda: built_in_support_kinds()["Check-in"])
    minutes = factory.SelfAttribute("kind.default_minutes")
    occurred_at = factory.LazyFunction(timezone.now)
    idempotency_key = factory.Faker("uuid4", cast_to=None)

    @factory.post_generation
    def teachers(obj, create, extracted, **kwargs):
        if not create or not extracted:
            return
        link = _coaching_models().InteractionTeacher
        link.objects.bulk_create([
            link(interaction=obj, teacher=teacher, coach_id=obj.coach_id,
                 occurred_at=obj.occurred_at)
            for teacher in extracted
        ])


class TallyRecountFactory(factory.django.DjangoModelFactory):
    """A change of a network's calendar waiting for the worker to recount its tallies."""

    class Meta:
        model = "coaching.TallyRecount"

    network = factory.SubFactory(NetworkFactory)
    part = "everything"


class PersonalNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coaching.PersonalNote"

    coach = factory.SubFactory(PersonFactory)
    teacher = factory.SubFactory(PersonFactory)
    text = "Their daughter started college"


def built_in_support_kinds() -> dict:
    """The built-in kinds of support, by name, in one query.

    A data migration installs them, and every flushing test's end loads them back
    (`testing/restore.py`); one that is missing all the same is made again here.
    """
    import importlib

    migration = importlib.import_module(
        "bettertogether.coaching.migrations.0002_built_in_support_kinds"
    )
    kind_model = _coaching_models().SupportKind
    kinds = {k.name: k for k in kind_model.objects.filter(network=None)}
    for position, (name, minutes, is_contact) in enumerate(migration.BUILT_IN_KINDS):
        if name not in kinds:
            kinds[name], _ = kind_model.objects.get_or_create(
                network=None, name=name, defaults={
                    "default_minutes": minutes, "is_contact": is_contact, "position": position})
    return kinds


# -- Notifications --------------------------------------------------------------------------
class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification row on its own (no email is queued: `notification_send` does that)."""

    class Meta:
        model = "notifications.Notification"

    recipient = factory.SubFactory(PersonFactory)
    network = None
    kind = "request_new"
    title = factory.Sequence(lambda n: f"Tess Teacher asked for Co-planning ({n})")
    url = factory.Sequence(lambda n: f"/coaching/requests/{n}/")


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.NotificationPreference"

    person = factory.SubFactory(PersonFactory)
    delivery = "digest"


# -- Coaching menu, requests and sessions -------------------------------------------------
def _in_a_day() -> datetime.datetime:
    return timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=1)


class MenuItemFactory(factory.django.DjangoModelFactory):
    """A coach's own menu item; `coach=None` makes one every coach of `network` offers."""

    class Meta:
        model = "menu.MenuItem"

    network = factory.SubFactory(NetworkFactory)
    coach = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Menu item {n}")
    kind = factory.LazyFunction(lambda: built_in_support_kinds()["Co-planning"])
    typical_minutes = 45


class SupportRequestFactory(factory.django.DjangoModelFactory):
    """A pending request row on its own (no notification: `request_create` does that)."""

    class Meta:
        model = "menu.SupportRequest"

    school = factory.SubFactory(SchoolFactory)
    network = factory.SelfAttribute("school.network")
    teacher = factory.SubFactory(PersonFactory)
    coach = factory.SubFactory(PersonFactory)
    item = factory.SubFactory(MenuItemFactory, coach=factory.SelfAttribute("..coach"),
                              network=factory.SelfAttribute("..network"))
    idempotency_key = factory.Faker("uuid4", cast_to=None)


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    """A scheduled session row; `attendees=[…]` adds the teachers as the service would."""

    class Meta:
        model = "menu.CoachingSession"
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    network = factory.SelfAttribute("school.network")
    coach = factory.SubFactory(PersonFactory)
    kind = factory.LazyFunction(lambda: built_in_support_kinds()["Co-planning"])
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyFunction(_in_a_day)
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(minutes=45))

    @factory.post_generation
    def attendees(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.attendees.set(extracted)
