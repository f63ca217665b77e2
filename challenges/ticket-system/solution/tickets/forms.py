from django import forms

from .models import Ticket


class TicketForm(forms.ModelForm):
    class Meta:
        model = Ticket
        fields = ["title", "description"]


class StatusForm(forms.ModelForm):
    class Meta:
        model = Ticket
        fields = ["status"]
