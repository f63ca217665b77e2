from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # login/, logout/, password_change/ ... (LoginView at /accounts/login/)
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("support.urls")),
    path("", RedirectView.as_view(pattern_name="support:ticket-list"), name="home"),
]
