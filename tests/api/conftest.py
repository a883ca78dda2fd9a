from __future__ import annotations

import pytest
from django.test import Client

from kinerja.accounts.services import api_token_create
from tests.agreements.conftest import region  # noqa: F401 - a fixture, used by the tests here


class ApiClient:
    """The Django test client with a persona's bearer token on every request."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params):  # type: ignore[no-untyped-def]
        return self.client.get(f"/api/v1/{path}", params, headers=self.headers)

    def post(self, path: str, body: dict | None = None):  # type: ignore[no-untyped-def]
        return self.client.post(
            f"/api/v1/{path}", body or {}, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api(world):  # type: ignore[no-untyped-def]
    tokens: dict[str, str] = {}

    def client(persona: str) -> ApiClient:
        if persona == "anonymous":
            return ApiClient(None)
        if persona not in tokens:
            tokens[persona] = api_token_create(user=world.users[persona], name="uji")[1]
        return ApiClient(tokens[persona])

    return client
