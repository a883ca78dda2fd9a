"""What makes a national deployment distributable by government (docs/scaling.md): every
tenant-owned table carries the government key, so that each row is found, partitioned and
co-located by it. Tables without one are listed here, each with the reason."""

from __future__ import annotations

import pytest
from django.apps import apps

from kinerja.accounts.models import Government
from kinerja.core import distribution
from kinerja.documents.models import DocumentFile

# Tables without the key, each with its reason: copied to every node on Citus (reference) or
# kept on the coordinator (local); kinerja/core/distribution.py is the one list.
REFERENCE = {**distribution.REFERENCE, **distribution.LOCAL}
# These have the key (a user's is empty for platform administrators).
del REFERENCE["accounts_user"], REFERENCE["accounts_person"]

# Rows that may belong to no government: platform administrators.
NULLABLE = {"accounts_user"}


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


def test_every_table_has_a_place_on_citus():
    """Each model table is distributed by government, a reference table or a coordinator
    table; a new table without the key and without a listed reason fails here."""
    kinds = distribution.tables()
    assert kinds["monitoring_realisation"] == "distributed"
    assert kinds["planning_programme_objectives"] == "distributed"
    assert kinds["core_auditevent"] == "distributed"
    assert kinds["accounts_government"] == "reference"
    assert kinds["django_session"] == "local"
    assert set(distribution.REFERENCE) | set(distribution.LOCAL) <= set(kinds)
