from django.contrib import admin

from .models import Recipe


@admin.register(Recipe)
class RecipeAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "author", "created"]
    list_filter = ["category"]
    search_fields = ["title", "ingredients"]
    list_select_related = ["author"]
