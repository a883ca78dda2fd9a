"""What makes a national deployment distributable by government (docs/scaling.md): every
tenant-owned table carries the government key, so that each row is found, partitioned and
co-located by it. Tables without one are listed here, each with the reason."""

from __future__ import annotations

import pytest
from django.apps import apps

from kinerja.accounts.models import Government
from kinerja.documents.models import DocumentFile

# Shared by every government: reference tables (replicated to every node on Citus) or the
# platform's own tables.
REFERENCE = {
    "accounts_government": "the tenants themselves: the distribution key's table",
    "accounts_loginattempt": "sign-in throttling, before any tenant is known",
    "accounts_loginthrottlekey": "sign-in throttling: the lock row of a (username, address) pair",
    "documents_certificateauthority": "the deployment's own CA, one for all governments",
    "django_content_type": "Django: model registry",
    "auth_permission": "Django: permission registry",
    "auth_group": "Django: unused groups",
    "auth_group_permissions": "Django: unused groups",
    "accounts_user_groups": "Django: unused groups",
    "accounts_user_user_permissions": "Django: unused per-user permissions (roles are ours)",
    "django_session": "sessions, keyed by session id; kept out of the distributed tables",
    "django_admin_log": "platform administrators' log",
    "django_tasks_database_dbtaskresult": "the task queue (a job names its government)",
    # Programme ↔ objective links: both ends carry the government key and the pair is
    # always reached through a programme, so on Citus it is co-located by a join on the
    # programme; it is the one link table without its own copy of the key.
    "planning_programme_objectives": "link table, reached through its programme",
}


# Rows that may belong to no government: platform superusers, and the audit rows of their
# platform-level actions (docs/scaling.md: on Citus these move to a reference table).
NULLABLE = {"accounts_user", "core_auditevent"}


def test_every_tenant_table_has_the_government_key():
    missing = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in REFERENCE:
            continue
        fields = {f.name: f for f in model._meta.get_fields()}
        field = fields.get("government")
        if field is None or not field.is_relation or field.related_model is not Government:
            missing.append(table)
        elif field.null and table not in NULLABLE:
            missing.append(f"{table} (nullable)")
    assert missing == []
    # Every listed exception exists (a renamed table must not hide here).
    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    assert set(REFERENCE) <= tables


@pytest.mark.django_db
def test_a_child_row_takes_its_parents_government(world, region):
    from tests.agreements.test_services import signed

    agreement = signed(world)
    files = DocumentFile.objects.filter(document=agreement.document)
    assert files.exists()
    assert set(files.values_list("government_id", flat=True)) == {world.gov.pk}
    roles = world.users["operator_b"].roles.all()
    assert {r.government_id for r in roles} == {world.gov.pk}
