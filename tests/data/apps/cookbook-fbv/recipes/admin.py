from django.contrib import admin
from django.utils.html import format_html

from .models import Recipe


@admin.register(Recipe)
class RecipeAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "author", "created"]
    list_filter = ["category"]
    search_fields = ["title", "ingredients", "author__username"]
    readonly_fields = ["created", "image_preview"]
    list_select_related = ["author"]

    @admin.display(description="Preview")
    def image_preview(self, obj):
        if obj.image:
            return format_html('<img src="{}" style="max-height:150px">', obj.image.url)
        return "-"
