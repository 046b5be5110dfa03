from django.urls import path

from . import views

app_name = "rostering"
urlpatterns = [
    path("", views.imports, name="imports"),
    path("template.csv", views.plain_csv_template, name="template"),
    path("<int:pk>/", views.import_detail, name="import"),
    path("<int:pk>/status/", views.import_status, name="import_status"),
    path("<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("<int:pk>/discard/", views.import_discard, name="import_discard"),
]
