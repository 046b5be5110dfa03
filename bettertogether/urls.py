from allauth.urls import build_provider_urlpatterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from bettertogether.accounts.views import sso_inactive

admin.site.site_header = "Better Together support"
admin.site.site_title = "Better Together support"

# Single sign-on: allauth's provider redirects and callbacks, and the few allauth page names
# its flows link to, pointed at our own pages. allauth's own sign-up, password and email
# pages are not served: accounts come from invitations and rosters.
to_sign_in = login_not_required(RedirectView.as_view(pattern_name="accounts:login"))
sso_patterns = [
    path("login/", to_sign_in, name="account_login"),
    path("signup/", to_sign_in, name="account_signup"),
    path("logout/", to_sign_in, name="account_logout"),
    path("inactive/", sso_inactive, name="account_inactive"),
    path("3rdparty/", include("allauth.socialaccount.urls")),
    *build_provider_urlpatterns(),
]

urlpatterns = [
    path("", include("bettertogether.core.urls")),
    path("accounts/", include("bettertogether.accounts.urls")),
    path("", include("bettertogether.directory.urls")),
    path("activity/", include("bettertogether.activity.urls")),
    path("coaching/", include("bettertogether.coaching.urls")),
    path("notifications/", include("bettertogether.notifications.urls")),
    path("", include("bettertogether.menu.urls")),
    path("", include("bettertogether.goals.urls")),
    path("reports/", include("bettertogether.reports.urls")),
    path("sso/", include(sso_patterns)),
    path("rostering/", include("bettertogether.rostering.urls")),
    path("support/", admin.site.urls),
]

handler403 = "bettertogether.core.views.permission_denied"
