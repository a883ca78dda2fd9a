import pytest
from django.test import Client

from kinerja.accounts.models import User


@pytest.mark.parametrize(
    "page", ["accounts/government/", "accounts/unit/", "accounts/user/", "accounts/position/"]
)
def test_superuser_sets_up_a_government_in_the_admin(world, page):
    admin = User.objects.create_superuser(
        "platform", "platform@example.invalid", "kata-sandi-admin-1"
    )
    client = Client()
    client.force_login(admin)
    assert client.get(f"/admin/{page}").status_code == 200


def test_government_users_are_not_admin_users(world):
    response = world.client("planner").get("/admin/accounts/unit/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
