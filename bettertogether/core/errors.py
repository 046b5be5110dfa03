"""Refusals a person is told the reason of."""

from django.core.exceptions import PermissionDenied


class Refused(PermissionDenied):
    """A 403 whose message is written for the person who asked (the 403 page shows it),
    such as "built-in resources are shared by every network". A bare `PermissionDenied`
    carries a permission's name for the log, never shown."""
