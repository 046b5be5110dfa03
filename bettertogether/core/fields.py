"""Form fields for long lists of model choices.

A `ModelChoiceField` builds one model object per option every time it renders. With a few
hundred schools in a network that is most of a page's time. `CompactModelChoiceField` reads
just the id and the columns its label needs; a submitted value is still looked up through
the field's queryset, so only objects the actor may choose are accepted.
"""

from collections.abc import Callable, Sequence

from django import forms


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
