from django.contrib import admin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "organisation", "role", "created_at", "status"]
    list_filter = ["role"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["token_hash", "created_at", "sent_at", "accepted_at", "accepted_by",
                       "revoked_at", "invited_by", "network"]
