from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class Form(forms.Form):
    """Our forms print labels without a trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class NoColonMixin:
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


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
