"""Schemathesis against the live API: generated requests from the OpenAPI schema (bounded
examples, fixed seed) must never meet a server error, and every response must match the
schema. Runs the real CLI against a live server over HTTP, as a client would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kinerja.accounts.services import api_token_create
from tests.monitoring.conftest import verified

pytestmark = pytest.mark.django_db(transaction=True)


def test_generated_requests_meet_no_server_error(world, live_server, tmp_path):
    # Data for the generated requests to reach: a verified figure, a draft of unit A.
    verified(world, world.indicator_a, 1, "12")
    _token, raw = api_token_create(user=world.users["operator_a"], name="schemathesis")
    schemathesis = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [
            str(schemathesis),
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {raw}",
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--max-examples",
            "8",
            "--seed",
            "20261123",
            "--workers",
            "1",
            "--no-shrink",
            "--max-time",
            "60",
            "--request-timeout",
            "30",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
        cwd=tmp_path,  # schemathesis keeps a cache in its working folder
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "generated" in output and "Tested: 19" in output, output[-3000:]
