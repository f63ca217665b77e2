from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from users.views import logout_view

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", logout_view, name="logout"),
    path("", include("tickets.urls")),
    path("", RedirectView.as_view(pattern_name="ticket_list", permanent=False)),
]
