"""The national layout on Citus (decision 0018). On a coordinator (`DATABASE_URL=citus://…`)
the suite's own database was distributed by `manage.py distribute` when it was made; these
tests check what that left and that running it again changes nothing. On SQLite and plain
PostgreSQL they check that the command refuses, and that queries name the government as they
do on Citus."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from kinerja.core import distribution
from kinerja.monitoring.models import Realisation
from kinerja.planning.models import Indicator


@pytest.fixture
def citus(db):
    if not distribution.is_citus(connection):
        pytest.skip("needs a Citus coordinator (DATABASE_URL=citus://…)")


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("distribute", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_refuses_a_database_without_citus():
    if distribution.is_citus(connection):
        pytest.skip("this database is a Citus coordinator")
    with pytest.raises(CommandError, match="Bukan koordinator Citus"):
        _run()


@pytest.mark.django_db
def test_a_join_between_tenant_tables_joins_on_the_government(world):
    indicator = world.indicator_a
    sql = str(Realisation.objects.filter(indicator__objective__term=world.term).query)
    joined = '"planning_indicator"."government_id" = ("monitoring_realisation"."government_id")'
    assert joined in sql
    # A related manager and a lookup by instance name the instance's government.
    sql = str(indicator.realisations.all().query)
    assert f'"monitoring_realisation"."government_id" = {world.gov.pk}' in sql
    sql = str(Indicator.objects.filter(objective=indicator.objective).query)
    assert f'"planning_indicator"."government_id" = {world.gov.pk}' in sql


def _stray_row(world):
    """A figure of one government's indicator that claims another government."""
    return Realisation(
        government_id=world.other_gov.pk,
        indicator=world.indicator_a,
        year=2025,
        periods_in_year=4,
        period=1,
        value=1,
        entered_by=world.users["operator_a"],
    )


@pytest.mark.django_db
def test_a_row_pointing_into_another_government_is_not_joined(world):
    """The join condition is not decoration: a row whose government differs from its parent's
    (which Citus's composite keys refuse outright) is not reached through the parent."""
    if distribution.is_citus(connection):
        pytest.skip("Citus refuses the row itself (the next test)")
    Realisation.objects.bulk_create([_stray_row(world)])
    assert Realisation.objects.filter(indicator__code=world.indicator_a.code).count() == 0
    assert world.indicator_a.realisations.count() == 0


@pytest.mark.django_db(transaction=True)
def test_citus_refuses_a_row_pointing_into_another_government(citus, world):
    """(government_id, indicator_id) → planning_indicator (government_id, id), checked when
    the row is committed (Django's keys are deferred; the shards check them)."""
    with pytest.raises(DatabaseError, match=r"foreign key|could not commit"):
        Realisation.objects.bulk_create([_stray_row(world)])
    assert not Realisation.objects.filter(government=world.other_gov).exists()


def test_the_suites_database_is_distributed_and_a_second_run_changes_nothing(citus):
    out = _run("--check")
    assert "local tenant tables: 0" in out
    assert "changes: none" in out
    kinds = distribution.tables()
    tenant = sorted(t for t, k in kinds.items() if k == "distributed")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT logicalrelid::regclass::text, partmethod, repmodel, colocationid "
            "FROM pg_dist_partition"
        )
        placed = {r[0].strip('"'): r[1:] for r in cursor.fetchall()}
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'monitoring_realisation'::regclass AND contype IN ('p', 'f')"
        )
        keys = {r[0] for r in cursor.fetchall()}
    assert all(placed[t][0] == "h" for t in tenant)
    assert len({placed[t][2] for t in tenant}) == 1  # one co-location group
    assert placed["accounts_government"][:2] == ("n", "t")
    assert placed["accounts_user"][:2] == ("n", "t")
    assert "django_session" not in placed or placed["django_session"][1] != "t"
    assert "PRIMARY KEY (government_id, id)" in keys
    assert any(
        "FOREIGN KEY (government_id, indicator_id) REFERENCES planning_indicator(government_id, id)"
        in k
        for k in keys
    )


def test_a_governments_pages_each_read_one_shard(citus, world, settings):
    """Every statement of a government's pages, with every figure computed from nothing,
    reads one shard (Citus's plan, by EXPLAIN): the dashboard, a unit's page, the public
    portal, and the achievement and realisation APIs."""
    from kinerja.core.cache import cache_clear
    from tests import shards

    settings.ALLOWED_HOSTS = ["testserver"]
    unit = world.unit_a
    pages = {
        "mayor": ["/dasbor/", f"/pemantauan/pd/{unit.pk}/", "/pemantauan/"],
        "operator_a": [f"/pemantauan/pd/{unit.pk}/", "/"],
        "anonymous": [f"/publik/{world.gov.slug}/"],
        "planner": ["/", "/plan/", "/pemantauan/"],
    }
    wide = {}
    for persona, paths in pages.items():
        client = world.client(persona)
        for path in paths:
            cache_clear()
            response, statements, _n = shards.wide(
                lambda client=client, path=path: client.get(path)
            )
            assert response.status_code == 200, path
            if statements:
                wide[f"{persona} {path}"] = statements
    assert wide == {}


@pytest.mark.django_db
def test_a_save_and_a_delete_name_the_rows_government(world):
    """`save(update_fields=…)` and `delete()` of a row name its government beside its id, so
    that on Citus each goes to the row's shard, not to every shard (a shard's rows are found
    by `(government_id, id)`). The same SQL on every database."""
    from django.test.utils import CaptureQueriesContext

    mine = _stray_row(world)
    mine.government_id = world.gov.pk
    mine.save()
    mine.value = 2
    with CaptureQueriesContext(connection) as saved:
        mine.save(update_fields=["value"])
    (update,) = [q["sql"] for q in saved.captured_queries if q["sql"].startswith("UPDATE")]
    assert f'"government_id" = {world.gov.pk}' in update
    with CaptureQueriesContext(connection) as deleted:
        mine.delete()
    removals = [q["sql"] for q in deleted.captured_queries if q["sql"].startswith("DELETE")]
    named = (f'"government_id" IN ({world.gov.pk})', f'"government_id" = {world.gov.pk}')
    assert removals and all(any(n in sql for n in named) for sql in removals), removals
    # The row itself by the collector's list of ids; its evidence by the row (a fast delete).
    assert f'"monitoring_realisation"."government_id" IN ({world.gov.pk})' in removals[-1]
    assert not Realisation.objects.filter(pk=mine.pk).exists()


def test_a_governments_writes_each_read_one_shard(citus, world, settings):
    """A figure entered and changed through the API, corrected and deleted as the services
    do: every statement reads one shard (Citus's plan, by EXPLAIN)."""
    from django.test import Client

    from kinerja.accounts.services import api_token_create
    from tests import shards

    settings.ALLOWED_HOSTS = ["testserver"]
    token = api_token_create(user=world.users["operator_a"], name="uji")[1]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    body = {"indicator": world.indicator_a.pk, "year": 2019, "period": 1, "value": "12,5"}

    def enter(value: str) -> object:
        return client.post(
            "/api/v1/realisations", {**body, "value": value}, content_type="application/json"
        )

    wide = {}
    for step, write in (("entered", lambda: enter("12,5")), ("changed", lambda: enter("13"))):
        response, statements, _n = shards.wide(write)
        assert response.status_code in (200, 201), response.content
        if statements:
            wide[step] = statements
    figure = Realisation.objects.get(government=world.gov, indicator=world.indicator_a, year=2019)
    _result, statements, _n = shards.wide(figure.delete)
    if statements:
        wide["deleted"] = statements
    assert wide == {}


def test_a_figure_corrected_and_verified_reads_one_shard(citus, world):
    """The inspector's path (bench/writer.py's load): a verified figure corrected, submitted
    and verified again, every statement on the government's shard."""
    from kinerja.monitoring.services import (
        realisation_correct,
        realisation_submit,
        realisation_verify,
    )
    from tests import shards
    from tests.monitoring.conftest import verified

    figure = verified(world, world.indicator_a, 1, "12")

    def correct() -> object:
        fix = realisation_correct(
            realisation=figure,
            by=world.users["operator_a"],
            reason="koreksi",
            value=figure.value + 1,
            note="",
        )
        fix = realisation_submit(realisation=fix, by=world.users["operator_a"])
        return realisation_verify(realisation=fix, by=world.users["inspector"])

    _fix, statements, _n = shards.wide(correct)
    assert statements == []
