from django.urls import path

from . import views, views_sessions

app_name = "menu"
urlpatterns = [
    path("menu/", views.menu, name="menu"),
    path("menu/items/new/", views.item_create, name="item_create"),
    path("menu/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("menu/items/<int:item_pk>/request/", views.request_new, name="request_new"),
    path("menu/networks/<int:pk>/", views.network_menu, name="network_menu"),
    path("menu/networks/<int:network_pk>/new/", views.item_create, name="network_item_create"),
    path("requests/", views.inbox, name="inbox"),
    path("requests/mine/", views.my_requests, name="my_requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:pk>/propose/", views.request_propose, name="request_propose"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:pk>/take/", views.request_take, name="request_take"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("sessions/", views_sessions.session_list, name="sessions"),
    path("sessions/new/", views_sessions.session_new, name="session_new"),
    path("sessions/<int:pk>/", views_sessions.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views_sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", views_sessions.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/log/", views_sessions.session_log, name="session_log"),
    path("calendar/", views_sessions.calendar_settings, name="calendar"),
    path("calendar/new/", views_sessions.calendar_reset, name="calendar_reset"),
    path("calendar/off/", views_sessions.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views_sessions.feed, name="feed"),
]
