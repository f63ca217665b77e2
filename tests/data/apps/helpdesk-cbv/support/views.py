from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.shortcuts import redirect
from django.views import View
from django.views.generic import CreateView, DetailView, ListView
from django.views.generic.detail import SingleObjectMixin

from .forms import TicketForm, TicketStatusForm
from .models import Ticket


class StaffRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Anonymous users go to the login page, signed-in non-staff get 403."""

    def test_func(self):
        return self.request.user.is_staff


class TicketListView(LoginRequiredMixin, ListView):
    model = Ticket
    template_name = "support/ticket_list.html"
    context_object_name = "tickets"

    def get_queryset(self):
        return Ticket.objects.filter(owner=self.request.user)


class TicketCreateView(LoginRequiredMixin, CreateView):
    model = Ticket
    form_class = TicketForm
    template_name = "support/ticket_form.html"

    def form_valid(self, form):
        form.instance.owner = self.request.user
        response = super().form_valid(form)  # success_url -> get_absolute_url()
        messages.success(self.request, f"Ticket #{self.object.pk} was created.")
        return response


class TicketDetailView(LoginRequiredMixin, DetailView):
    model = Ticket
    template_name = "support/ticket_detail.html"
    context_object_name = "ticket"

    def get_queryset(self):
        qs = Ticket.objects.select_related("owner")
        if self.request.user.is_staff:
            return qs
        # Somebody else's ticket simply does not exist for this user (404).
        return qs.filter(owner=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.is_staff:
            context["status_form"] = TicketStatusForm(instance=self.object)
        return context


class TicketStatusUpdateView(StaffRequiredMixin, SingleObjectMixin, View):
    model = Ticket
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = TicketStatusForm(request.POST, instance=self.object)
        if form.is_valid():
            form.save()
            messages.success(request, f"Ticket #{self.object.pk} was updated.")
        else:
            messages.error(request, "That is not a valid status.")
        return redirect(self.object)


class DashboardView(StaffRequiredMixin, ListView):
    model = Ticket
    template_name = "support/dashboard.html"
    context_object_name = "tickets"

    def get_queryset(self):
        qs = Ticket.objects.select_related("owner")
        status = self.request.GET.get("status")
        if status in Ticket.Status.values:
            qs = qs.filter(status=status)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = Ticket.Status.choices
        context["current_status"] = self.request.GET.get("status", "")
        return context
