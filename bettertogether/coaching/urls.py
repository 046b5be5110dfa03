from django.urls import path

from . import views, views_network

app_name = "coaching"
urlpatterns = [
    path("log/", views.log, name="log"),
    path("log/all/", views.my_log, name="my_log"),
    path("log/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("log/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("teachers/<int:pk>/", views.teacher, name="teacher"),
    path("teachers/<int:pk>/notes/", views.note_add, name="note_add"),
    path("teachers/<int:pk>/notes/<int:note_pk>/delete/", views.note_delete,
         name="note_delete"),
    path("mine/", views.mine, name="mine"),
    path("caseload/", views.caseload, name="caseload"),
    path("rules/<int:pk>/", views.relationship_rules, name="relationship_rules"),
]

# What leaders and network admins see and manage (views_network).
urlpatterns += [
    path("schools/<int:pk>/", views_network.school_summary, name="school_summary"),
    path("networks/<int:pk>/support-kinds/", views_network.support_kinds, name="support_kinds"),
    path("networks/<int:pk>/support-kinds/<int:kind_pk>/", views_network.support_kind_edit,
         name="support_kind_edit"),
    path("networks/<int:pk>/support-kinds/<int:kind_pk>/switch/",
         views_network.support_kind_switch, name="support_kind_switch"),
]
