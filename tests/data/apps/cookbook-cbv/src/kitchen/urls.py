from django.urls import path

from . import views

app_name = "kitchen"

urlpatterns = [
    path("", views.RecipeListView.as_view(), name="recipe-list"),
    path("new/", views.RecipeCreateView.as_view(), name="recipe-create"),
    path("<int:pk>/", views.RecipeDetailView.as_view(), name="recipe-detail"),
]
