"""The disclosure gate in templates: `{% load disclosure %}`, then `{{ value|figure }}`."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from bettertogether.directory import disclosure

register = template.Library()


@register.filter
def figure(value):
    """A figure as its reader may see it: grouped by thousands, or the word every format
    uses for a hidden figure (with why, for anyone who hovers or listens)."""
    if value is disclosure.HIDDEN:
        return disclosure.hidden_html()
    return intcomma(value)


@register.filter
def percent(value):
    """A share in whole percent, or the hidden word."""
    if value is disclosure.HIDDEN:
        return disclosure.hidden_html()
    return f"{value}%"
