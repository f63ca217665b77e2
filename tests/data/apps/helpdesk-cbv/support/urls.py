from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("tickets/", views.TicketListView.as_view(), name="ticket-list"),
    path("tickets/new/", views.TicketCreateView.as_view(), name="ticket-create"),
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket-detail"),
    path(
        "tickets/<int:pk>/status/",
        views.TicketStatusUpdateView.as_view(),
        name="ticket-status",
    ),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
]
