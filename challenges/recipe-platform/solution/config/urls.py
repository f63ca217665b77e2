from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/recipes/", permanent=False)),
    path("admin/", admin.site.urls),
    # Django's own views for login, logout and password changes.
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("recipes.urls")),
]
