from django.urls import path

from . import views

app_name = "tickets"

urlpatterns = [
    path("tickets/", views.TicketListView.as_view(), name="list"),
    path("tickets/new/", views.TicketCreateView.as_view(), name="create"),
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="detail"),
    path("tickets/<int:pk>/status/", views.TicketStatusUpdateView.as_view(), name="status"),
    path("tickets/<int:pk>/comments/", views.CommentCreateView.as_view(), name="comment"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
]
