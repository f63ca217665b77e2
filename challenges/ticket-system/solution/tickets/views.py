from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .forms import StatusForm, TicketForm
from .models import Ticket


def visible_tickets(user):
    """The tickets `user` may open: staff see all of them, customers their own."""
    if user.is_staff:
        return Ticket.objects.all()
    return Ticket.objects.filter(owner=user)


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
            return redirect(ticket)
    else:
        form = TicketForm()
    return render(request, "tickets/ticket_form.html", {"form": form})


@login_required
def ticket_detail(request, pk):
    # Someone else's ticket answers 404, not 403, so ids do not reveal
    # which tickets exist.
    ticket = get_object_or_404(visible_tickets(request.user), pk=pk)
    context = {"ticket": ticket}
    if request.user.is_staff:
        context["status_form"] = StatusForm(instance=ticket)
    return render(request, "tickets/ticket_detail.html", context)


@login_required
@require_POST
def ticket_status(request, pk):
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can change a ticket's status.")
    ticket = get_object_or_404(Ticket, pk=pk)
    form = StatusForm(request.POST, instance=ticket)
    if form.is_valid():
        form.save()
    return redirect(ticket)


@login_required
def dashboard(request):
    if not request.user.is_staff:
        raise PermissionDenied("The dashboard is for staff only.")
    tickets = Ticket.objects.select_related("owner")
    return render(request, "tickets/dashboard.html", {"tickets": tickets})
