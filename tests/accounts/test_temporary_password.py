"""A planner issues a temporary password (after a confirmation); the person must choose their
own before anything else; other people and other governments are refused; audited."""

from django.core.cache import cache
from django.test import Client

from kinerja.accounts.models import User
from kinerja.core.models import AuditEvent
from tests.conftest import PASSWORD


def test_a_planner_issues_a_temporary_password_that_must_be_changed(world):
    planner = world.client("planner")
    listing = planner.get("/pengguna/?q=operator_a").content.decode()
    assert "uji-operator_a" in listing and "uji-operator_b" not in listing
    target = world.users["operator_a"]
    url = f"/pengguna/{target.pk}/kata-sandi-sementara/"
    preview = planner.post(url)
    assert preview.status_code == 200 and 'name="confirm"' in preview.content.decode()
    assert User.objects.get(pk=target.pk).check_password(PASSWORD)  # nothing changed yet
    page = planner.post(url, {"confirm": "yes"}).content.decode()
    temporary = page.split('id="temporary-password">')[1].split("<")[0]
    account = User.objects.get(pk=target.pk)
    assert account.must_change_password and account.check_password(temporary)
    row = AuditEvent.objects.get(action="account.temporary_password")
    assert temporary not in str(row.after)

    person = Client()
    assert person.login(username="uji-operator_a", password=temporary)
    # Every page leads to choosing a password first.
    response = person.get("/")
    assert response.status_code == 302 and response["Location"] == "/akun/kata-sandi/"
    assert person.get("/pemantauan/").status_code == 302
    changed = person.post(
        "/akun/kata-sandi/",
        {
            "old_password": temporary,
            "new_password1": "kata-sandi-pilihan-sendiri-7",
            "new_password2": "kata-sandi-pilihan-sendiri-7",
        },
    )
    assert changed.status_code == 302
    assert not User.objects.get(pk=target.pk).must_change_password
    assert person.get("/").status_code == 200


def test_only_a_planner_of_the_same_government_issues_one(world):
    target = world.users["operator_a"]
    url = f"/pengguna/{target.pk}/kata-sandi-sementara/"
    assert world.client("operator_b").get("/pengguna/").status_code == 403
    assert world.client("head_a").post(url, {"confirm": "yes"}).status_code == 403
    assert world.client("other_gov").post(url, {"confirm": "yes"}).status_code == 404
    assert User.objects.get(pk=target.pk).check_password(PASSWORD)


def test_the_reset_form_cannot_flood_a_mailbox(world, mailoutbox):
    cache.clear()
    client = Client()
    for _ in range(8):
        response = client.post("/masuk/lupa/", {"email": "uji-operator_a@uji.invalid"})
        assert response.status_code == 302  # the same answer every time
    assert len(mailoutbox) == 5
    cache.clear()
