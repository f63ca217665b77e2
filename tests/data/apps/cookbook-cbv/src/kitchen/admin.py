from django.contrib import admin

from .models import Recipe


@admin.register(Recipe)
class RecipeAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "author", "created")
    list_filter = ("category", "created")
    search_fields = ("title", "ingredients", "author__username")
    list_select_related = ("author",)
    date_hierarchy = "created"
    readonly_fields = ("created",)
