from django import forms
from django.utils.translation import gettext_lazy as _

from bettertogether.core.forms import Form


class FrameworkUploadForm(Form):
    file = forms.FileField(
        label=_("Framework file"),
        help_text=_("A CASE 1.1 package (.json) exported from the framework's CASE server, or a "
                    ".csv made from the template. Up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.csv,application/json,text/csv"}),
    )


class ApplyForm(Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=2000)


class TagForm(Form):
    """Which standards and indicators something touched, grouped by framework."""

    indicators = forms.MultipleChoiceField(
        label=_("Standards and indicators"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every one it worked on; untick one to take it off."))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items_by_pk = {}
        groups: dict[int, tuple[str, list]] = {}
        for item in items:
            self.items_by_pk[str(item.pk)] = item
            label = f"{item.code} {item.statement}".strip()
            groups.setdefault(item.framework_id, (item.framework.title, []))[1].append(
                (str(item.pk), label))
        self.fields["indicators"].choices = list(groups.values())

    def clean_indicators(self) -> list:
        return [self.items_by_pk[pk] for pk in self.cleaned_data["indicators"]]
