import pytest
from django.test import Client

from kinerja.accounts.models import LoginAttempt, User
from tests.conftest import PASSWORD, World


def test_signin_page_is_indonesian(db):
    body = Client().get("/masuk/").content.decode()
    assert '<html lang="id">' in body
    assert "Masuk ke Kinerja" in body and "Kata sandi" in body


def test_signin_page_in_english_when_asked(db):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    body = client.get("/masuk/").content.decode()
    assert '<html lang="en">' in body
    assert "Sign in to Kinerja" in body


def test_signin_and_out(world: World):
    client = Client()
    response = client.post("/masuk/", {"username": "uji-mayor", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Selamat datang" in client.get("/").content.decode()
    assert client.post("/keluar/").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_in_indonesian(world: World):
    response = Client().post("/masuk/", {"username": "uji-mayor", "password": "salah"})
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert LoginAttempt.objects.filter(username="uji-mayor", succeeded=False).count() == 1


def test_signin_is_throttled_after_repeated_failures(world: World, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post("/masuk/", {"username": "uji-mayor", "password": "tebakan"})
    # Even the right password is refused while throttled.
    response = client.post("/masuk/", {"username": "uji-mayor", "password": PASSWORD})
    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert client.get("/").status_code == 302


def test_throttle_also_counts_by_address(world: World, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="10.9.8.7")
    for name in ["a", "b", "c"]:
        client.post("/masuk/", {"username": name, "password": "x"})
    response = client.post("/masuk/", {"username": "uji-sekda", "password": PASSWORD})
    assert "Terlalu banyak percobaan" in response.content.decode()


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = User.objects.create_user(username="argon", password="kata-sandi-panjang-1")
    assert user.password.startswith("argon2$")
    assert user.check_password("kata-sandi-panjang-1")


def test_public_health_check_needs_no_signin(db):
    assert Client().get("/healthz").json() == {"status": "ok"}


def test_browser_language_does_not_override_indonesian(db):
    body = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/masuk/").content.decode()
    assert '<html lang="id">' in body


def test_failures_elsewhere_never_lock_a_person_out_of_their_own_address(world: World, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(10):
        attacker.post("/masuk/", {"username": "uji-mayor", "password": "tebakan"})
    refused = attacker.post("/masuk/", {"username": "uji-mayor", "password": PASSWORD})
    assert "Terlalu banyak percobaan" in refused.content.decode()
    assert "Coba lagi pukul" in refused.content.decode()  # when, not just "later"
    # Only three of the attacker's ten reached the password check.
    assert LoginAttempt.objects.filter(ip_address="203.0.113.66").count() == 3
    # The mayor at the office signs in; a colleague behind the same address too.
    office = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        office.post("/masuk/", {"username": "uji-mayor", "password": PASSWORD}).status_code == 302
    )
    colleague = Client(REMOTE_ADDR="203.0.113.66")
    assert (
        colleague.post("/masuk/", {"username": "uji-sekda", "password": PASSWORD}).status_code
        == 302
    )


def test_the_admin_sign_in_is_throttled_too(world: World, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    staff = world.users["planner"]
    staff.is_staff = True
    staff.save()
    client = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(3):
        client.post("/admin/login/", {"username": staff.username, "password": "salah"})
    response = client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "Terlalu banyak percobaan" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_never_pass_the_limit(world: World, settings):
    """Thirty simultaneous wrong passwords: each is counted before its password is checked,
    one after another, so no more than the limit reach the check."""
    import threading

    from django.contrib.auth import authenticate as real_authenticate
    from django.db import connection

    settings.LOGIN_FAILURE_LIMIT = 5
    checks: list[int] = []
    lock = threading.Lock()

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        with lock:
            checks.append(1)
        return real_authenticate(*args, **kwargs)

    import django.contrib.auth.forms as auth_forms

    original = auth_forms.authenticate
    auth_forms.authenticate = counting
    barrier = threading.Barrier(30)

    def attempt() -> None:
        try:
            barrier.wait()
            Client(REMOTE_ADDR="203.0.113.99").post(
                "/masuk/", {"username": "uji-mayor", "password": "tebakan"}
            )
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=attempt) for _ in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        auth_forms.authenticate = original
    assert len(checks) <= 5
    assert LoginAttempt.objects.filter(ip_address="203.0.113.99").count() == 5
