"""Words for an import's summary and warnings on its page (`{% load rostering %}`)."""

from django import template

from ..summary import not_brought_in as reasons_in_words

register = template.Library()


@register.filter
def not_brought_in(skipped: dict | None) -> list[str]:
    """Why people the roster lists were not brought in: "3 students", … in words."""
    return reasons_in_words(skipped)


@register.filter
def total(counts: dict | None) -> int:
    return sum((counts or {}).values())
