from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Better Together support"
admin.site.site_title = "Better Together support"

urlpatterns = [
    path("", include("bettertogether.core.urls")),
    path("accounts/", include("bettertogether.accounts.urls")),
    path("", include("bettertogether.directory.urls")),
    path("activity/", include("bettertogether.activity.urls")),
    path("support/", admin.site.urls),
]
