from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from .forms import CommentForm, StatusForm, TicketForm
from .mixins import StaffRequiredMixin
from .models import Ticket


def visible_tickets(user):
    """The tickets a user may open: staff see all, customers their own."""
    tickets = Ticket.objects.select_related("owner")
    if user.is_staff:
        return tickets
    return tickets.filter(owner=user)


class TicketListView(LoginRequiredMixin, ListView):
    template_name = "tickets/ticket_list.html"
    context_object_name = "tickets"
    paginate_by = 5

    def get_queryset(self):
        return Ticket.objects.filter(owner=self.request.user).order_by("-created_at", "-id")


class TicketCreateView(LoginRequiredMixin, CreateView):
    model = Ticket
    form_class = TicketForm
    template_name = "tickets/ticket_form.html"

    def form_valid(self, form):
        form.instance.owner = self.request.user
        messages.success(self.request, "Thanks, your ticket was raised.")
        return super().form_valid(form)


class TicketDetailView(LoginRequiredMixin, DetailView):
    template_name = "tickets/ticket_detail.html"
    context_object_name = "ticket"

    def get_queryset(self):
        return visible_tickets(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["comments"] = self.object.comments.select_related("author")
        context["comment_form"] = kwargs.get("comment_form") or CommentForm()
        if self.request.user.is_staff:
            context["status_form"] = StatusForm(instance=self.object)
        return context


class CommentCreateView(LoginRequiredMixin, CreateView):
    form_class = CommentForm
    template_name = "tickets/ticket_detail.html"
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.ticket = get_object_or_404(visible_tickets(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        form.instance.ticket = self.ticket
        form.instance.author = self.request.user
        form.save()
        messages.success(self.request, "Your reply was added.")
        return redirect(self.ticket)

    def form_invalid(self, form):
        messages.error(self.request, "A reply cannot be empty.")
        return redirect(self.ticket)


class TicketStatusUpdateView(LoginRequiredMixin, StaffRequiredMixin, UpdateView):
    model = Ticket
    form_class = StatusForm
    http_method_names = ["post"]

    def form_valid(self, form):
        form.save()
        messages.success(self.request, "The status was updated.")
        return redirect(self.object)

    def form_invalid(self, form):
        messages.error(self.request, "Choose a valid status.")
        return redirect(self.object)


class DashboardView(LoginRequiredMixin, StaffRequiredMixin, ListView):
    template_name = "tickets/dashboard.html"
    context_object_name = "tickets"

    def get_queryset(self):
        return Ticket.objects.select_related("owner").order_by("-created_at", "-id")
