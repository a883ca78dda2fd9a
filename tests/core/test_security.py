"""Production settings: `check --deploy` clean, no secret default, headers on every page."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a" * 20 + "-production-secret-" + "b" * 30,
    "DJANGO_ALLOWED_HOSTS": "kinerja.example.go.id",
    "DATABASE_URL": "sqlite:////tmp/kinerja-deploy-check.sqlite3",
    "KINERJA_SIGNING_KEY": "another-long-signing-secret-for-the-check",
    "KINERJA_PUBLIC_URL": "https://kinerja.example.go.id",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "KINERJA_PUBLIC_URL"]
)
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_security_headers(db):
    response = Client().get("/masuk/")
    csp = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in csp
        and "script-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_need_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["planner"])
    response = client.post(f"/plan/indikator/{world.indicator_a.pk}/target/", {"y2019": "1"})
    assert response.status_code == 403


def test_no_asset_comes_from_another_origin(world):
    body = world.client("mayor").get("/plan/").content.decode()
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body


def test_signed_in_pages_are_not_stored_and_the_public_ones_may_be(world):
    private = world.client("mayor").get("/plan/")
    assert "no-store" in private["Cache-Control"] and "private" in private["Cache-Control"]
    public = Client().get("/publik/")
    assert "no-store" not in public.get("Cache-Control", "")


def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.KINERJA_MAX_UPLOAD_BYTES = 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    big = SimpleUploadedFile("besar.xlsx", b"0" * (3 * 1024 * 1024))
    response = world.client("planner").post("/plan/excel/impor/", {"file": big})
    assert response.status_code == 413
    assert "paling besar 1 MB" in response.content.decode()
