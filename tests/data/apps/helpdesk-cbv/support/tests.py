import re

from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from django.urls import reverse

from .models import Ticket

User = get_user_model()


def status_words(html):
    return set(w.lower() for w in re.findall(r"\b(open|pending|resolved)\b", html, re.I))


class TicketTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = User.objects.create_user("staff", password="pw", is_staff=True)
        cls.alice = User.objects.create_user("alice", password="pw")
        cls.bob = User.objects.create_user("bob", password="pw")
        cls.a_ticket = Ticket.objects.create(title="Alice printer", description="x", owner=cls.alice)
        cls.b_ticket = Ticket.objects.create(title="Bob vpn", description="y", owner=cls.bob)

    def test_anonymous_redirected(self):
        for url in ["/tickets/", "/tickets/new/", f"/tickets/{self.a_ticket.pk}/", "/dashboard/"]:
            r = self.client.get(url)
            self.assertEqual(r.status_code, 302, url)
            self.assertTrue(r["Location"].startswith("/accounts/login/?next="), url)
        r = self.client.post(f"/tickets/{self.a_ticket.pk}/status/", {"status": "resolved"})
        self.assertEqual(r.status_code, 302)

    def test_login(self):
        r = self.client.get("/accounts/login/")
        self.assertContains(r, 'type="password"')
        r = self.client.post("/accounts/login/", {"username": "alice", "password": "nope"})
        self.assertEqual(r.status_code, 200)
        r = self.client.post("/accounts/login/", {"username": "alice", "password": "pw"})
        self.assertEqual(r.status_code, 302)

    def test_create(self):
        self.client.force_login(self.alice)
        r = self.client.post("/tickets/new/", {"title": "New one", "description": "d"})
        t = Ticket.objects.get(title="New one")
        self.assertRedirects(r, f"/tickets/{t.pk}/")
        self.assertEqual(t.owner, self.alice)
        self.assertEqual(t.status, "open")
        r = self.client.get(f"/tickets/{t.pk}/")
        self.assertContains(r, "New one")
        self.assertEqual(status_words(r.content.decode()), {"open"})

    def test_csrf(self):
        c = Client(enforce_csrf_checks=True)
        c.force_login(self.alice)
        r = c.post("/tickets/new/", {"title": "No csrf", "description": "d"})
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Ticket.objects.filter(title="No csrf").exists())

    def test_list_own_only(self):
        self.client.force_login(self.alice)
        r = self.client.get("/tickets/")
        self.assertContains(r, "Alice printer")
        self.assertNotContains(r, "Bob vpn")

    def test_detail_private(self):
        self.client.force_login(self.bob)
        r = self.client.get(f"/tickets/{self.a_ticket.pk}/")
        self.assertEqual(r.status_code, 404)
        self.assertNotContains(r, "Alice printer", status_code=404)
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get(f"/tickets/{self.a_ticket.pk}/").status_code, 200)

    def test_dashboard(self):
        self.client.force_login(self.alice)
        r = self.client.get("/dashboard/")
        self.assertEqual(r.status_code, 403)
        self.assertNotContains(r, "Bob vpn", status_code=403)
        self.client.force_login(self.staff)
        r = self.client.get("/dashboard/")
        self.assertContains(r, "Alice printer")
        self.assertContains(r, "Bob vpn")
        self.assertContains(r, "alice")

    def test_status_update(self):
        url = f"/tickets/{self.a_ticket.pk}/status/"
        self.client.force_login(self.alice)
        r = self.client.post(url, {"status": "resolved"})
        self.assertEqual(r.status_code, 403)
        self.a_ticket.refresh_from_db()
        self.assertEqual(self.a_ticket.status, "open")
        self.client.force_login(self.staff)
        r = self.client.post(url, {"status": "pending"})
        self.assertRedirects(r, f"/tickets/{self.a_ticket.pk}/")
        self.a_ticket.refresh_from_db()
        self.assertEqual(self.a_ticket.status, "pending")
        self.client.force_login(self.alice)
        r = self.client.get(f"/tickets/{self.a_ticket.pk}/")
        self.assertEqual(status_words(r.content.decode()), {"pending"})
