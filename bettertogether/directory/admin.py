from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import transaction

from . import calendar_changes
from .models import (
    CaseloadAssignment,
    GradeLevel,
    Membership,
    Organisation,
    Person,
    SchoolYear,
    Subject,
    TeacherProfile,
    Term,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["organisation"]


class PersonChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = Person
        fields = "__all__"


class PersonCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = Person
        fields = ("email", "full_name")


@admin.register(Person)
class PersonAdmin(UserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    search_fields = ["full_name", "email"]
    readonly_fields = ["date_joined", "last_login", "deactivated_at"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "preferred_name", "source_id"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["date_joined", "last_login", "deactivated_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


# A network's time zone and its terms' first days are its calendar: whatever the support
# admin changes there, it tells `calendar_changes` by name, as the services do, so figures
# kept by week, term and month are recounted (the default saves would not say).


def _term_starts(terms) -> dict[int, set]:
    """The first days of these terms, by network."""
    found: dict[int, set] = {}
    for network_id, starts_on in terms.values_list("school_year__network_id", "starts_on"):
        found.setdefault(network_id, set()).add(starts_on)
    return found


def _tell_term_starts(before: dict[int, set], after: dict[int, set]) -> None:
    """Tell each network the first days that came or went."""
    for network_id in before.keys() | after.keys():
        moved = before.get(network_id, set()) ^ after.get(network_id, set())
        calendar_changes.term_starts_changed(network_id=network_id, starts=moved)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "network", "locale", "time_zone", "leader_visibility"]
    list_filter = ["kind", "locale", "leader_visibility"]
    search_fields = ["name"]
    autocomplete_fields = ["network"]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and obj.is_network and "time_zone" in form.changed_data:
            calendar_changes.time_zone_changed(network_id=obj.pk)


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "starts_on", "ends_on"]
    list_filter = ["network"]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = _term_starts(Term.objects.filter(school_year_id=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        # Only a move to another network moves its terms' first days.
        _tell_term_starts(before, _term_starts(Term.objects.filter(school_year=obj)))

    def delete_model(self, request, obj):
        self.delete_queryset(request, SchoolYear.objects.filter(pk=obj.pk))

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        before = _term_starts(Term.objects.filter(school_year__in=queryset))
        super().delete_queryset(request, queryset)
        _tell_term_starts(before, {})


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "school_year", "starts_on", "ends_on"]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = _term_starts(Term.objects.filter(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        _tell_term_starts(before, _term_starts(Term.objects.filter(pk=obj.pk)))

    def delete_model(self, request, obj):
        self.delete_queryset(request, Term.objects.filter(pk=obj.pk))

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        before = _term_starts(queryset)
        super().delete_queryset(request, queryset)
        _tell_term_starts(before, {})


@admin.register(GradeLevel)
class GradeLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "network", "position"]
    list_filter = ["network"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "network"]
    list_filter = ["network"]


@admin.register(TeacherProfile)
class TeacherProfileAdmin(admin.ModelAdmin):
    list_display = ["person", "years_experience"]
    search_fields = ["person__full_name", "person__email"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["grades", "subjects"]


@admin.register(CaseloadAssignment)
class CaseloadAssignmentAdmin(admin.ModelAdmin):
    list_display = ["coach", "teacher", "school", "school_year"]
    list_filter = ["school_year"]
    search_fields = ["coach__full_name", "teacher__full_name"]
    autocomplete_fields = ["coach", "teacher", "school"]
