"""Form widgets that render quickly.

Django renders every `<option>` of a select through its own template; with a few hundred
schools in a network that alone costs tens of milliseconds per page. These widgets build the
same HTML in Python: same attributes, same `selected` handling, same accessibility hooks
(`aria-describedby`, `aria-invalid` and `required` arrive through `attrs`).
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


class FastSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        selected = set(self.format_value(value))
        body = []
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                body.append(format_html(
                    '<optgroup label="{}">{}</optgroup>',
                    option_value,
                    self._options(option_label, selected),
                ))
            else:
                body.append(self._options([(option_value, option_label)], selected))
        options = mark_safe("".join(body))  # noqa: S308 (each part came from format_html)
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)

    @staticmethod
    def _options(choices, selected):
        parts = []
        for value, label in choices:
            value_text = "" if value is None else str(value)
            mark = " selected" if value_text in selected else ""
            parts.append(f'<option value="{escape(value_text)}"{mark}>{escape(label)}</option>')
        return mark_safe("".join(parts))  # noqa: S308 (every value and label is escaped)


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


def speed_up_selects(form: forms.BaseForm) -> None:
    """Swap plain select widgets of `form` for the fast ones, keeping their attributes."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            fast = FastSelect(attrs=widget.attrs)
        elif type(widget) is forms.SelectMultiple:
            fast = FastSelectMultiple(attrs=widget.attrs)
        else:
            continue
        fast.choices = widget.choices
        fast.is_required = widget.is_required
        field.widget = fast
