from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


snapshot_new = snapshot = snapshot_withdraw = _missing
