from django.urls import path

from . import views, views_pdf, views_snapshots

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("coach/", views.coach_report, name="coach"),
    path("coach/export/<str:fmt>/", views.coach_export, name="coach_export"),
    path("coach/log/<str:fmt>/", views.coach_log_export, name="coach_log_export"),
    path("coach/pdf/", views_pdf.coach_pdf, name="coach_pdf"),
    path("coach/share/", views_snapshots.snapshot_new, name="snapshot_new"),
    path("schools/<int:pk>/", views.school_report, name="school"),
    path("schools/<int:pk>/export/<str:fmt>/", views.school_export, name="school_export"),
    path("schools/<int:pk>/pdf/", views_pdf.school_pdf, name="school_pdf"),
    path("networks/<int:pk>/", views.network_report, name="network"),
    path("networks/<int:pk>/export/<str:fmt>/", views.network_export, name="network_export"),
    path("networks/<int:pk>/pdf/", views_pdf.network_pdf, name="network_pdf"),
    path("pdf/<int:pk>/", views_pdf.pdf_status, name="pdf_status"),
    path("pdf/<int:pk>/download/", views_pdf.pdf_download, name="pdf_download"),
    path("shared/<uuid:token>/", views_snapshots.snapshot, name="snapshot"),
    path("shared/<uuid:token>/withdraw/", views_snapshots.snapshot_withdraw,
         name="snapshot_withdraw"),
]
