from django import forms
from django.utils.translation import gettext_lazy as _

from bettertogether.core.forms import Form
from bettertogether.directory.models import Organisation

from .upload import UploadRejected, check_uploaded


class RosterUploadForm(Form):
    network = forms.ModelChoiceField(
        label=_("Import into"), queryset=Organisation.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(
            "A OneRoster 1.1 or 1.2 bundle (the .zip your student information system exports, "
            "with manifest.csv at the top) or a plain .csv with the columns name, email, role, "
            "school, grades and subjects. Up to 200 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.csv,application/zip,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Preview first"),
        required=False,
        initial=True,
        help_text=_("Check the roster and show what would change, without changing anything. "
                    "You can then apply it."),
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_uploaded(upload, upload.name, upload.size)
        except UploadRejected as error:
            raise forms.ValidationError(error.message) from error
        return upload
