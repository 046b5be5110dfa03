from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from bettertogether.directory import selectors as directory
from bettertogether.directory.forms import ProfileForm
from bettertogether.directory.scope import scope_for
from bettertogether.directory.services import profile_update

from .errors import Refused
from .forms import apply_errors
from .home import home_context


def home(request):
    return render(request, "core/home.html", home_context(request.user))


def permission_denied(request, exception=None):
    """The 403 page, with the reason when the refusal gave one for people to read."""
    reason = str(exception) if isinstance(exception, Refused) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def floor(request):
    """The benchmark's floor: signed in, behind every middleware, doing nothing else."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def profile(request):
    person = directory.person_get_for(actor=request.user, pk=request.user.pk)
    return render(request, "core/profile.html", {"person": person, "scope": scope_for(person)})


def profile_edit(request):
    person = directory.person_get_for(actor=request.user, pk=request.user.pk)
    form = ProfileForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(actor=request.user, person=person, network_id=form.network_id,
                           **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("core:profile")
    return render(request, "core/profile_edit.html", {"form": form, "person": person},
                  status=422 if form.errors else 200)
