from django.contrib.auth import views as auth_views
from django.urls import include, path
from oauth2_provider import views as oauth2_views

from .views import GraphMe

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    # Any OpenID Connect provider (issuer <url>/o), and Google's endpoints in the tests.
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    # Microsoft's: https://login.microsoftonline.com/<tenant>/oauth2/v2.0/… and Graph.
    path("<str:tenant>/oauth2/v2.0/authorize", oauth2_views.AuthorizationView.as_view()),
    path("<str:tenant>/oauth2/v2.0/token", oauth2_views.TokenView.as_view()),
    path("v1.0/me", GraphMe.as_view()),
]
