from .models import Ticket


def ticket_counts(request):
    """How many tickets still wait for someone, shown in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    tickets = Ticket.objects.filter(status=Ticket.Status.OPEN)
    if not user.is_staff:
        tickets = tickets.filter(owner=user)
    return {"waiting_ticket_count": tickets.count()}
