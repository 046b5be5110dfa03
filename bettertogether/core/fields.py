"""Form fields for long lists of model choices.

A `ModelChoiceField` builds one model object per option every time it renders. With a few
hundred schools in a network that is most of a page's time. `CompactModelChoiceField` reads
just the id and the columns its label needs; a submitted value is still looked up through
the field's queryset, so only objects the actor may choose are accepted.

Every form takes its multiple choices of model objects and its dates from here, so a value
no database could hold (an id past the integer range, the year 9999) gets a message next to
the field instead of a server error.
"""

import datetime
from collections.abc import Callable, Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection

from bettertogether.directory.dates import FIRST_DAY, LAST_DAY, validate_in_span


class CompactModelChoiceField(forms.ModelChoiceField):
    def __init__(
        self,
        queryset,
        *,
        label_fields: Sequence[str] = ("name",),
        make_label: Callable[..., str] | None = None,
        **kwargs,
    ):
        self.label_fields = tuple(label_fields)
        self.make_label = make_label or (lambda *values: " ".join(str(v) for v in values))
        super().__init__(queryset, **kwargs)

    def _get_choices(self):
        if hasattr(self, "_choices"):
            return self._choices
        choices = [] if self.empty_label is None else [("", self.empty_label)]
        rows = self.queryset.values_list("pk", *self.label_fields)
        choices.extend((pk, self.make_label(*rest)) for pk, *rest in rows)
        return choices

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's multiple choice of model objects, refusing a value no database row could
    have (a number past the database's integer range, as a crafted post can send) with the
    field's own "choose from the list" message instead of a database error."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.get_field(key) if key != "pk" else (
            self.queryset.model._meta.pk)
        low, high = _integer_range(field)
        if low is not None:
            for item in value or ():
                try:
                    number = int(str(item).strip())
                except ValueError:
                    continue  # Django's own check names it as an invalid value
                if not low <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice",
                        params={"value": item})
        return super()._check_values(value)


def _integer_range(field) -> tuple[int | None, int | None]:
    internal = field.get_internal_type()
    if "Integer" not in internal and "AutoField" not in internal:
        return None, None
    low, high = connection.ops.integer_field_range(internal)
    # SQLite reports no bounds; its integers are 64-bit.
    return (low if low is not None else -(2**63), high if high is not None else 2**63 - 1)


class _InSpanMixin:
    """A date in the span every date lies in (`directory.dates`): the picker offers only
    those days and the field says so next to itself when given another."""

    widget_format = "%Y-%m-%d"
    default_validators = [validate_in_span]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("min", datetime.datetime.combine(FIRST_DAY, datetime.time.min)
                         .strftime(self.widget_format))
        attrs.setdefault("max", datetime.datetime.combine(LAST_DAY, datetime.time(23, 59))
                         .strftime(self.widget_format))
        return attrs


class DateField(_InSpanMixin, forms.DateField):
    """A day from 1 January 2000 to 31 December 2099."""


class DateTimeField(_InSpanMixin, forms.DateTimeField):
    """A moment on a day from 1 January 2000 to 31 December 2099."""

    widget_format = "%Y-%m-%dT%H:%M"
