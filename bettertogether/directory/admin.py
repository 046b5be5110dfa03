from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "network", "locale", "time_zone", "leader_visibility"]
    list_filter = ["kind", "locale", "leader_visibility"]
    search_fields = ["name"]
    autocomplete_fields = ["network"]


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "starts_on", "ends_on"]
    list_filter = ["network"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "school_year", "starts_on", "ends_on"]


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
