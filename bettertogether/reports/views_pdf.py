from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


coach_pdf = school_pdf = network_pdf = pdf_status = pdf_download = _missing
