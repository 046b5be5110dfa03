from django import forms
from django.utils.translation import gettext_lazy as _

from bettertogether.core.fields import CompactModelChoiceField, DateField, ModelMultipleChoiceField
from bettertogether.core.forms import Form

from .disclosure import MIN_STUDENTS
from .models import LeaderVisibility, Locale, Organisation, Role, time_zone_choices
from .selectors import grades_for_network, subjects_for_network


class ProfileForm(Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=100, required=False)
    grades = ModelMultipleChoiceField(
        label=_("Grades you teach"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subjects = ModelMultipleChoiceField(
        label=_("Subjects you teach"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    years_experience = forms.IntegerField(
        label=_("Years in teaching"), min_value=0, max_value=60, required=False
    )
    interests = forms.CharField(
        label=_("Interests"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you enjoy, what you want to learn, clubs you run."),
    )

    def __init__(self, *args, person, **kwargs):
        profile = getattr(person, "profile", None)
        network_ids = {m.network_id for m in person.memberships.all()}
        network_id = min(network_ids) if network_ids else None
        kwargs.setdefault("initial", {
            "full_name": person.full_name,
            "preferred_name": person.preferred_name,
            "grades": list(profile.grades.all()) if profile else [],
            "subjects": list(profile.subjects.all()) if profile else [],
            "years_experience": profile.years_experience if profile else None,
            "interests": profile.interests if profile else "",
        })
        super().__init__(*args, **kwargs)
        # The one network whose grades and subjects this form offers (and replaces).
        self.network_id = network_id
        self.fields["grades"].queryset = grades_for_network(network_id=network_id)
        self.fields["subjects"].queryset = subjects_for_network(network_id=network_id)


class OrganisationSettingsForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    locale = forms.ChoiceField(
        label=_("Terminology"), choices=Locale.choices,
        help_text=_("United States: principal, district, grade. United Kingdom: headteacher, "
                    "trust, year group."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    leader_visibility = forms.ChoiceField(
        label=_("What school leaders see of coaching"),
        choices=LeaderVisibility.choices,
        widget=forms.RadioSelect,
        help_text=_("Leaders never see notes, reflections or any other content."),
    )
    min_student_group = forms.IntegerField(
        label=_("Smallest group of students shown to leaders"), min_value=MIN_STUDENTS,
        max_value=200,
        help_text=_("Student evidence over fewer students is never shown to leaders. "
                    "At least 10."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    password_sign_in = forms.BooleanField(
        label=_("People may sign in with a password"),
        required=False,
        help_text=_("Turn this off when everyone signs in through single sign-on."),
    )
    entra_tenants = forms.CharField(
        label=_("Microsoft Entra tenants that sign your people in"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("Tenant IDs, one a line (Entra admin center → Overview → Tenant ID). A "
                    "Microsoft sign-in from any other tenant is refused."),
    )
    entra_domains = forms.CharField(
        label=_("Verified domains of those tenants"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("Domains, one a line, as your tenants have verified them (Entra admin "
                    "center → Domain names), for example district.org. Only an address in "
                    "one of them (or a subdomain) is taken as the person's own, unless "
                    "Microsoft confirms the address itself."),
    )

    NETWORK_ONLY = ("password_sign_in", "entra_tenants", "entra_domains")

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        if not organisation.is_network:
            for name in self.NETWORK_ONLY:
                del self.fields[name]


class SchoolForm(Form):
    name = forms.CharField(label=_("School name"), max_length=200)


class SchoolYearForm(Form):
    name = forms.CharField(label=_("Name"), max_length=40, help_text=_("For example 2027–28"))
    starts_on = DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The last day must come after the first."))
        return cleaned


class TermForm(SchoolYearForm):
    name = forms.CharField(label=_("Name"), max_length=40, help_text=_("For example Spring"))


class CaseloadAssignForm(Form):
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=None)
    teachers = ModelMultipleChoiceField(
        label=_("Teachers"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )

    def __init__(self, *args, coaches, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
        self.fields["teachers"].queryset = teachers


class PeopleFilterForm(Form):
    q = forms.CharField(label=_("Search by name or email"), required=False, max_length=100)
    organisation = CompactModelChoiceField(
        label=_("School"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("All schools"),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    inactive = forms.BooleanField(label=_("Include switched-off accounts"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def organisation_label(name: str, kind: str) -> str:
    return f"{name} ({Organisation.Kind(kind).label})"


class RoleGrantForm(Form):
    organisation = CompactModelChoiceField(
        label=_("School or network"), queryset=Organisation.objects.none(),
        label_fields=("name", "kind"), make_label=organisation_label,
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
