from django.contrib import admin

from .models import Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "owner", "status", "priority", "created_at")
    list_filter = ("status", "priority")
    list_select_related = ("owner",)
