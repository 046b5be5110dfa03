from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/remove/", views.person_remove, name="person_remove"),
    path("people/<int:pk>/roles/", views.person_role_grant, name="person_role_grant"),
    path(
        "people/<int:pk>/roles/<int:membership_pk>/remove/",
        views.person_role_revoke,
        name="person_role_revoke",
    ),
    path("schools/", views.organisations, name="organisations"),
    path("schools/new/", views.school_create, name="school_create"),
    path("schools/<int:pk>/", views.organisation, name="organisation"),
    path("schools/<int:pk>/settings/", views.organisation_settings, name="organisation_settings"),
    path("schools/<int:pk>/years/new/", views.school_year_create, name="school_year_create"),
    path(
        "schools/<int:pk>/years/<int:year_pk>/terms/new/",
        views.term_create,
        name="term_create",
    ),
    path("schools/<int:pk>/caseloads/", views.school_caseloads, name="school_caseloads"),
    path(
        "schools/<int:pk>/caseloads/<int:assignment_pk>/remove/",
        views.caseload_remove,
        name="caseload_remove",
    ),
]
