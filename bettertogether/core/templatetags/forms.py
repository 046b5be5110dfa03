"""`{% form_guard %}`: what every post form carries — the CSRF token, and the key that makes
a second click or a replayed post do nothing twice (`core.once`)."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from bettertogether.core.once import FIELD, new_key

register = template.Library()


class FormGuardNode(template.Node):
    def render(self, context):
        return format_html('{}<input type="hidden" name="{}" value="{}">',
                           CsrfTokenNode().render(context), FIELD, new_key())


@register.tag
def form_guard(parser, token):
    return FormGuardNode()
