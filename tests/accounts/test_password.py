"""Changing one's own password, and a forgotten one reset through an e-mailed link."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from kinerja.core.models import AuditEvent
from tests.conftest import PASSWORD

NEW = "ibu-kota-nusantara-2045"


def test_a_signed_in_person_changes_their_password_with_the_old_one(world):
    client = world.client("operator_a")
    user = world.users["operator_a"]
    wrong = client.post(
        "/akun/kata-sandi/",
        {"old_password": "salah", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200 and 'role="alert"' in wrong.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    weak = client.post(
        "/akun/kata-sandi/",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert weak.status_code == 200
    done = client.post(
        "/akun/kata-sandi/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert done.status_code == 302 and done["Location"] == "/akun/kata-sandi/selesai/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEvent.objects.filter(action="account.password_change", object_id=str(user.pk))
    # Signed out, the page asks for a sign-in first.
    assert Client().get("/akun/kata-sandi/").status_code == 302


def test_a_forgotten_password_is_reset_through_the_emailed_link(world):
    user = world.users["head_a"]
    anonymous = Client()
    assert anonymous.get("/masuk/").content.decode().count('href="/masuk/lupa/"') == 1
    response = anonymous.post("/masuk/lupa/", {"email": user.email})
    assert response.status_code == 302 and response["Location"] == "/masuk/lupa/terkirim/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    # An unknown address gets the same answer and no mail: no one learns who has an account.
    unknown = anonymous.post("/masuk/lupa/", {"email": "tidak-ada@uji.invalid"})
    assert unknown["Location"] == response["Location"] and len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/masuk/reset/\S+/)", mail.outbox[0].body).group(1)
    form = anonymous.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    done = anonymous.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/masuk/reset/selesai/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEvent.objects.filter(action="account.password_reset", object_id=str(user.pk))
    # The link is used up.
    again = anonymous.get(link, follow=True).content.decode()
    assert "tidak berlaku lagi" in again and 'name="new_password1"' not in again
