"""The REST API: tokens, tenant scoping, the same refusals as the pages, filters and pages,
realisations entered and submitted through the services, achievements, agreements' PDFs and
auction results."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from kinerja.accounts.models import ApiToken
from kinerja.accounts.services import api_token_create, api_token_revoke
from kinerja.core.models import AuditEvent
from kinerja.monitoring.models import Realisation
from tests.agreements.test_services import signed
from tests.monitoring.conftest import verified

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_hashed_and_shown_once(world):
    token, raw = api_token_create(user=world.users["operator_a"], name="Skrip impor")
    assert raw.startswith("knj_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.government == world.gov
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()


def test_no_token_an_unknown_token_or_a_revoked_one_is_refused_as_json(world, api):
    for client in (api("anonymous"), type(api("anonymous"))("knj_bukan-token")):
        response = client.get("units")
        assert response.status_code == 401
        assert "token" in response.json()["detail"].lower()
    token, raw = api_token_create(user=world.users["planner"], name="uji")
    client = type(api("anonymous"))(raw)
    assert client.get("units").status_code == 200
    api_token_revoke(token=token, by=world.users["planner"])
    assert client.get("units").status_code == 401


def test_a_token_names_its_government_and_one_naming_another_is_unknown(world):
    """The government's id in a token names its shard on Citus (decision 0018); the hash
    covers it, so changing it makes an unknown token. Tokens made before, without it, work."""
    from kinerja.accounts.services import api_token_hash, api_token_user

    user = world.users["planner"]
    _token, raw = api_token_create(user=user, name="baru")
    assert raw.startswith(f"knj_{world.gov.pk}.")
    assert api_token_user(raw) == user
    forged = raw.replace(f"knj_{world.gov.pk}.", f"knj_{world.other_gov.pk}.", 1)
    assert api_token_user(forged) is None
    old = "knj_" + "a" * 43
    ApiToken.objects.create(
        government=world.gov, user=user, name="lama", prefix=old[:12], key_hash=api_token_hash(old)
    )
    assert api_token_user(old) == user


def test_only_the_owner_revokes_a_token(world):
    from django.core.exceptions import PermissionDenied

    token, _raw = api_token_create(user=world.users["planner"], name="uji")
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=world.users["mayor"])


def test_the_account_page_creates_shows_once_and_revokes(world):
    client = world.client("operator_a")
    page = client.post("/akun/", {"name": "Dasbor kantor"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=world.users["operator_a"])
    raw = page.context["created"]
    assert raw.startswith(token.prefix) and raw in page.content.decode()
    again = client.get("/akun/").content.decode()
    assert raw not in again and token.prefix in again
    # Another user cannot revoke it: the token is not theirs (404).
    assert world.client("planner").post(f"/akun/token/{token.pk}/cabut/").status_code == 404
    client.post(f"/akun/token/{token.pk}/cabut/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1
    # An empty name is refused with a message, nothing created.
    page = client.post("/akun/", {"name": " "})
    assert ApiToken.objects.filter(user=world.users["operator_a"]).count() == 1
    assert page.context["form"].errors


def test_units_are_those_of_the_callers_government(world, api):
    body = api("operator_b").get("units").json()
    assert body["count"] == 2
    assert {u["name"] for u in body["items"]} == {"Dinas A", "Kecamatan B"}
    assert api("operator_b").get("units", kind="district").json()["count"] == 1
    assert api("planner").get(f"units/{world.other_unit.pk}").status_code == 404
    assert api("other_gov").get(f"units/{world.unit_a.pk}").status_code == 404
    me = api("head_a").get("me").json()
    assert me["government_slug"] == "kota-uji"
    assert me["roles"] == [{"role": "unit_head", "unit_id": world.unit_a.pk}]


def test_plan_tree_and_indicators_with_targets_filters_and_pages(world, api):
    plan = api("mayor").get("plan").json()
    assert plan["term_id"] == world.term.pk
    objective = plan["missions"][0]["goals"][0]["objectives"][0]
    assert objective["indicator_ids"] == [world.gov_indicator.pk]
    assert {o["code"] for o in objective["unit_objectives"]} == {"S1.A", "S1.B"}
    assert api("mayor").get("plan", term=world.other_term.pk).status_code == 404

    body = api("mayor").get("indicators", page_size=2).json()
    assert body["count"] == 3 and len(body["items"]) == 2
    assert api("mayor").get("indicators", page=2, page_size=2).json()["items"][0]["code"] == (
        "I1.B.1"
    )
    mine = api("mayor").get("indicators", unit=world.unit_a.pk).json()
    assert {i["code"] for i in mine["items"]} == {"I1", "I1.A.1"}
    one = api("mayor").get(f"indicators/{world.indicator_a.pk}").json()
    targets = {t["year"]: t["value"] for t in one["targets"]}
    stored = {t.year: t.value for t in world.indicator_a.targets.all()}
    assert {y: Decimal(v) for y, v in targets.items()} == stored
    assert api("mayor").get(f"indicators/{world.other_indicator.pk}").status_code == 404
    # Out-of-range paging and identifiers are refused by the schema, with the reason.
    too_big = api("mayor").get("indicators", page_size=201)
    assert too_big.status_code == 422 and too_big.json()["detail"][0]["loc"][-1] == "page_size"
    assert api("mayor").get("indicators", page=0).status_code == 422
    assert api("mayor").get("indicators", unit=2**70).status_code == 422


def test_realisation_entered_and_submitted_by_the_responsible_operator(world, api):
    body = {"indicator": world.indicator_a.pk, "year": 2019, "period": 1, "value": "12,5"}
    response = api("operator_a").post("realisations", body)
    assert response.status_code == 201, response.content
    created = response.json()
    stored = Realisation.objects.get(pk=created["id"])
    assert stored.value == Decimal("12.5") and stored.status == "draft"
    assert stored.entered_by == world.users["operator_a"]
    submitted = api("operator_a").post(f"realisations/{stored.pk}/submit").json()
    assert submitted["status"] == "submitted"
    assert set(
        AuditEvent.objects.filter(
            object_id=str(stored.pk), action__startswith="realisation"
        ).values_list("action", flat=True)
    ) == {"realisation.create", "realisation.submit"}
    # Submitting twice: the service's refusal, as a JSON message.
    again = api("operator_a").post(f"realisations/{stored.pk}/submit")
    assert again.status_code == 400
    assert again.json()["code"] == "wrong_state"

    listed = api("mayor").get("realisations", indicator=world.indicator_a.pk, year=2019).json()
    assert [r["id"] for r in listed["items"]] == [stored.pk]
    assert api("mayor").get("realisations", status="draft").json()["count"] == 0
    assert api("other_gov").get("realisations").json()["count"] == 0


def test_realisation_refusals(world, api):
    body = {"indicator": world.indicator_a.pk, "year": 2019, "period": 1, "value": "12"}
    # Another unit's operator and the head of region: 403 with the service's message.
    for persona in ("operator_b", "mayor"):
        refused = api(persona).post("realisations", body)
        assert refused.status_code == 403
        assert "operator" in refused.json()["detail"].lower()
    # Another government's indicator does not exist for this caller.
    other = {**body, "indicator": world.other_indicator.pk}
    assert api("operator_a").post("realisations", other).status_code == 404
    # Bad input: a word for a number, a period out of range, a missing field.
    bad = api("operator_a").post("realisations", {**body, "value": "dua belas"})
    assert bad.status_code == 400 and "angka" in bad.json()["detail"]
    assert api("operator_a").post("realisations", {**body, "period": 13}).status_code == 422
    assert api("operator_a").post("realisations", {"year": 2019}).status_code == 422
    huge = api("operator_a").post("realisations", {**body, "value": "1" * 30})
    assert huge.status_code == 400 and "terlalu besar" in huge.json()["detail"]
    fine = api("operator_a").post("realisations", {**body, "value": "1,1234567"})
    assert fine.status_code == 400 and "6 angka di belakang koma" in fine.json()["detail"]
    future = api("operator_a").post("realisations", {**body, "year": 2199})
    assert future.status_code == 400 and "belum dimulai" in future.json()["detail"]
    assert Realisation.objects.count() == 0
    r = verified(world, world.indicator_a, 1, "12")
    assert api("operator_b").post(f"realisations/{r.pk}/submit").status_code == 403
    assert api("other_gov").post(f"realisations/{r.pk}/submit").status_code == 404


def test_achievements_follow_the_verified_figures(world, api):
    # Targets 2019: 11 for every indicator; "higher is better", last value counts.
    verified(world, world.indicator_a, 1, "9.9")
    verified(world, world.indicator_a, 2, "13.2")
    one = api("mayor").get(f"achievements/indicators/{world.indicator_a.pk}", year=2019).json()
    assert one["periods"] == ["9.9", "13.2", None, None]
    assert one["to_date_value"] == "13.2" and one["target"] == "11"
    assert Decimal(one["to_date"]) == Decimal("120.0000")  # 13.2 / 11 × 100
    assert (
        api("mayor")
        .get(f"achievements/indicators/{world.indicator_a.pk}", year=2019, quarter=1)
        .json()["to_date"]
        == "90"
    )  # 9.9 / 11 × 100

    unit = api("operator_b").get(f"achievements/units/{world.unit_a.pk}", year=2019).json()
    assert [i["code"] for i in unit["indicator_achievements"]] == ["I1", "I1.A.1"]
    assert unit["indicator_achievements"][1]["to_date"] == "120"
    ranked = api("mayor").get("achievements/units", year=2019).json()
    assert [r["name"] for r in ranked] == ["Dinas A", "Kecamatan B"]
    assert ranked[0]["rank"] == 1 and ranked[1]["rank"] is None
    gov = api("mayor").get("achievements/government", year=2019).json()
    missions = api("mayor").get("achievements/missions", year=2019).json()
    assert gov["missions"] == missions and len(missions) == 1
    assert gov["indicators"] == 3
    assert api("mayor").get(f"achievements/units/{world.other_unit.pk}").status_code == 404
    assert api("mayor").get("achievements/government", quarter=5).status_code == 422


def test_agreement_metadata_and_its_signed_pdf_byte_for_byte(world, region, api):
    agreement = signed(world)
    listed = api("operator_b").get("agreements", year=2019).json()
    assert listed["count"] == 1
    meta = listed["items"][0]
    assert meta["status"] == "signed" and meta["unit_id"] == world.unit_a.pk
    stored = agreement.document.latest_file
    assert meta["pdf_sha256"] == stored.sha256
    pdf = api("operator_b").get(f"agreements/{agreement.pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == stored.sha256
    assert api("other_gov").get(f"agreements/{agreement.pk}/pdf").status_code == 404
    assert api("mayor").get("agreements", status="draft").json()["count"] == 0


def test_auction_results_rank_units(world, auction, api):
    session, _proposal, _indicator = auction
    sessions = api("panel").get("auctions").json()
    assert [s["id"] for s in sessions] == [session.pk]
    results = api("panel").get(f"auctions/{session.pk}/results")
    assert results.status_code == 200
    assert api("other_gov").get(f"auctions/{session.pk}/results").status_code == 404
    assert api("other_gov").get("auctions").json() == []


def test_the_schema_describes_every_capability(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/units",
        "/api/v1/plan",
        "/api/v1/indicators",
        "/api/v1/realisations",
        "/api/v1/realisations/{realisation_id}/submit",
        "/api/v1/achievements/indicators/{indicator_id}",
        "/api/v1/achievements/units/{unit_id}",
        "/api/v1/achievements/missions",
        "/api/v1/achievements/government",
        "/api/v1/agreements/{agreement_id}/pdf",
        "/api/v1/auctions/{session_id}/results",
    ):
        assert path in paths, path
