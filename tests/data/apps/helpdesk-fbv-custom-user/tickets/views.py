from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .forms import StatusForm, TicketForm
from .models import Ticket


def is_staff(user):
    return user.is_staff


@login_required
def ticket_list(request):
    tickets = Ticket.objects.filter(owner=request.user)
    return render(request, "tickets/ticket_list.html", {"tickets": tickets})


@login_required
def ticket_create(request):
    if request.method == "POST":
        form = TicketForm(request.POST)
        if form.is_valid():
            ticket = form.save(commit=False)
            ticket.owner = request.user
            ticket.save()
            messages.success(request, f"Ticket #{ticket.pk} was created.")
            return redirect("ticket_detail", pk=ticket.pk)
        messages.error(request, "Please correct the errors below.")
    else:
        form = TicketForm()
    return render(request, "tickets/ticket_form.html", {"form": form})


@login_required
def ticket_detail(request, pk):
    ticket = get_object_or_404(Ticket.objects.select_related("owner"), pk=pk)
    if not ticket.can_view(request.user):
        raise PermissionDenied
    context = {"ticket": ticket}
    if request.user.is_staff:
        context["status_form"] = StatusForm(initial={"status": ticket.status})
    return render(request, "tickets/ticket_detail.html", context)


@login_required
@user_passes_test(is_staff)
@require_POST
def ticket_status(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        ticket.status = form.cleaned_data["status"]
        ticket.save(update_fields=["status", "updated_at"])
        messages.success(request, f"Status changed to {ticket.get_status_display()}.")
    else:
        messages.error(request, "That is not a valid status.")
    return redirect("ticket_detail", pk=ticket.pk)


@login_required
@user_passes_test(lambda u: u.is_staff)
def dashboard(request):
    tickets = Ticket.objects.select_related("owner").all()
    raw = dict(
        Ticket.objects.order_by().values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    counts = [(label, raw.get(value, 0)) for value, label in Ticket.STATUS_CHOICES]
    return render(
        request,
        "tickets/dashboard.html",
        {"tickets": tickets, "counts": counts, "total": sum(raw.values())},
    )
