from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .text import cleaned_data
from .widgets import speed_up_selects


class NoColonMixin:
    """Our forms print labels without a trailing colon, render selects quickly, and keep no
    control characters pasted from a word processor (see `core.text`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = cleaned_data(self.data)

    def __getitem__(self, name):
        if not getattr(self, "_selects_sped_up", False):
            speed_up_selects(self)
            self._selects_sped_up = True
        return super().__getitem__(name)


class Form(NoColonMixin, forms.Form):
    pass


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation error next to the field it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


__all__ = ["NON_FIELD_ERRORS", "Form", "NoColonMixin", "apply_errors"]
