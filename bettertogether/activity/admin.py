from django.contrib import admin

from .models import ActivityEntry


@admin.register(ActivityEntry)
class ActivityEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is a record, support staff may read it but never change it."""

    list_display = ["created_at", "actor", "action", "target_label", "organisation"]
    list_filter = ["action"]
    search_fields = ["action", "target_label"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
