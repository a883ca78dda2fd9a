"""Run by bench/run.py inside the app's environment (DATABASE_URL set): picks government
sint-0001, signs its head of region in, makes API tokens, counts each page's SQL queries with
Django's test client, times the national roll-up, and prints the targets as JSON."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.accounts.models import ApiToken, Government, Role, Unit, User
from kinerja.accounts.services import api_token_create
from kinerja.core.cache import cache_clear
from kinerja.core.distribution import is_citus, wide_statements
from kinerja.evaluation.selectors import national_grades
from kinerja.monitoring.models import Realisation
from kinerja.monitoring.selectors import models_q_owner
from kinerja.planning.models import Indicator
from kinerja.sampledata.synthetic import YEARS, slug


def session_for(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def token_for(user: User) -> str:
    ApiToken.objects.filter(user=user, name="bench", revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return api_token_create(user=user, name="bench")[1]


def lua_for(path: str, token: str, indicator_ids: list[int], year: int, months: int) -> str:
    """A wrk script: each request enters a figure for one of the unit's indicators and one
    of this year's open months, as a draft (creating it, or changing it)."""
    script = f"""
local ids = {{{", ".join(map(str, indicator_ids))}}}
local headers = {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {token}"}}
request = function()
  local id = ids[math.random(#ids)]
  local month = math.random({months})
  local body = string.format(
    '{{"indicator": %d, "year": {year}, "period": %d, "value": "%d,5"}}',
    id, month, math.random(10, 99))
  return wrk.format("POST", "{path}", headers, body)
end
"""
    with tempfile.NamedTemporaryFile(
        "w", suffix=".lua", prefix="kinerja-bench-", delete=False
    ) as handle:
        handle.write(script)
    return handle.name


def hearing_poll_path(gov: Government, unit: Unit, operator: User, head: User) -> str:
    """A hearing in progress for the unit (made once, through the services), and the path its
    participants poll every 2 s with the version they hold: 204 while nothing changed."""
    import datetime
    from decimal import Decimal

    from kinerja.auction import live
    from kinerja.auction import services as auction
    from kinerja.auction.models import AuctionSession, Proposal, ProposedIndicator
    from kinerja.planning.models import Mission, Objective, Term

    planner = User.objects.get(government=gov, roles__role=Role.PLANNER)
    session = AuctionSession.objects.filter(
        government=gov, name="Bench: sidang", status=AuctionSession.Status.HEARINGS
    ).first()
    if session is None:  # (a session left half-made by an interrupted run stays aside)
        term = Term.objects.get(government=gov, is_current=True)
        session = auction.session_create(
            term=term,
            name="Bench: sidang",
            scheduled_on=datetime.date.today(),
            venue="Bench",
            by=planner,
        )
        auction.panel_set(session=session, members=[head], chair=head, by=planner)
        session = auction.session_open(session=session, by=planner)
        objective = Objective.objects.filter(term=term, unit__isnull=True).order_by("code").first()
        proposal = auction.proposal_save(
            proposal=Proposal(
                session=session,
                unit=unit,
                title="Bench",
                mission=Mission.objects.filter(term=term).order_by("number").first(),
                objective=objective,
            ),
            by=operator,
        )
        plan_indicator = Indicator.objects.filter(models_q_owner(unit)).order_by("pk").first()
        auction.proposed_indicator_save(
            indicator=ProposedIndicator(
                proposal=proposal,
                plan_indicator=plan_indicator,
                name="Indikator bench",
                unit_of_measure="%",
                polarity="higher",
                baseline_value=plan_indicator.baseline_value if plan_indicator else Decimal(50),
                baseline_year=plan_indicator.baseline_year if plan_indicator else term.start_year,
                baseline_source="Bench",
                end_target=(
                    (plan_indicator.baseline_value if plan_indicator else Decimal(50)) * 2
                ).quantize(Decimal(1)),
                end_year=term.end_year,
            ),
            by=operator,
        )
        auction.proposal_submit(proposal=proposal, by=operator)
        auction.session_start_hearings(session=session, by=planner)
    proposal = Proposal.objects.get(session=session, unit=unit)
    # As the page asks: the version it shows and its poll token (kinerja.auction.live).
    token = live.poll_token(head.pk, proposal.pk)
    return f"/lelang/usulan/{proposal.pk}/langsung/?v={live.version(proposal.pk, gov.pk)}&t={token}"


def uncached_dashboard_ms(gov: Government, year: int) -> dict[str, float]:
    """The dashboard's figures computed from nothing (no entry in any cache) by a process
    warmed as a worker is (kinerja.core.warmup): the first time, and the best of five after."""
    import datetime

    from kinerja.core.cache import cache_clear
    from kinerja.core.warmup import warm_up

    warm_up()
    from kinerja.dashboards.selectors import dashboard
    from kinerja.monitoring.selectors import overview

    times = []
    for _ in range(6):
        cache_clear()
        started = time.perf_counter()
        view = overview(gov, year=year, as_of_quarter=4)
        dashboard(gov, view=view, year=year, today=datetime.date(year + 1, 1, 15))
        times.append((time.perf_counter() - started) * 1000)
    cache_clear()
    return {"first": round(times[0], 1), "best": round(min(times[1:]), 1)}


def main() -> None:
    gov = Government.objects.get(slug=slug(1))
    head = User.objects.get(government=gov, roles__role=Role.HEAD_OF_REGION)
    unit = Unit.objects.filter(government=gov).order_by("pk").first()
    assert unit is not None
    operator = User.objects.get(roles__role=Role.UNIT_OPERATOR, roles__unit=unit)
    indicator_ids = list(
        Indicator.objects.filter(models_q_owner(unit)).order_by("pk").values_list("pk", flat=True)
    )
    today = timezone.localdate()
    # The pages read the last synthetic year, which the writes (this year) do not touch.
    year = YEARS[-1]
    page = f"?tahun={year}&tw=4"
    api = f"?year={year}&quarter=4"
    session = session_for(head)
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    head_token = {"Authorization": f"Bearer {token_for(head)}"}
    operator_token = token_for(operator)

    targets: dict[str, dict[str, Any]] = {
        "floor": {"path": "/healthz"},
        # A trivial page behind the sign-in, through the same middleware as every page.
        "signed_floor": {"path": "/angka/?v=12,5", "headers": cookie},
        "dashboard": {"path": f"/dasbor/{page}", "headers": cookie},
        "unit": {"path": f"/pemantauan/pd/{unit.pk}/{page}", "headers": cookie},
        "portal": {"path": f"/publik/{gov.slug}/?tahun={year}"},
        "api_achievement": {
            "path": f"/api/v1/achievements/units/{unit.pk}{api}",
            "headers": head_token,
        },
        "hearing_poll": {
            "path": hearing_poll_path(gov, unit, operator, head),
            "headers": cookie,
        },
        "api_achievement_government": {
            "path": f"/api/v1/achievements/government{api}",
            "headers": head_token,
        },
        "api_realisation": {
            "path": "/api/v1/realisations",
            "lua": lua_for(
                "/api/v1/realisations", operator_token, indicator_ids, today.year, today.month
            ),
        },
    }

    client = Client(HTTP_HOST="127.0.0.1")
    queries: dict[str, int] = {}
    shards: dict[str, dict[str, Any]] = {}
    citus = is_citus(connection)
    for name, target in targets.items():
        headers = {k: v for k, v in target.get("headers", {}).items() if k != "Cookie"}
        client.cookies.clear()
        if "Cookie" in target.get("headers", {}):
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        if name == "api_realisation":
            # Counted on changing a draft (what the load does, after its first requests):
            # the figure is entered once first, so that both scales count the same path.
            body = {"indicator": indicator_ids[0], "year": today.year, "period": 1}

            def post(path: str = target["path"], body: dict[str, Any] = body) -> Any:
                return client.post(
                    path,
                    {**body, "value": "12,5"},
                    content_type="application/json",
                    headers={"Authorization": f"Bearer {operator_token}"},
                )

            fetch: Callable[[], Any] = post
            fetch()
        else:

            def get(path: str = target["path"], headers: dict[str, str] = headers) -> Any:
                return client.get(path, headers=headers)

            fetch = get
            fetch()  # counted steady, as the load sees it (what it keeps already kept)

        with CaptureQueriesContext(connection) as ctx:
            response = fetch()
        if response.status_code not in (200, 201, 204):
            sys.exit(f"{name}: {target['path']} answered {response.status_code}")
        queries[name] = len(ctx.captured_queries)
        if citus:
            # Steady (as the load sees it) and from nothing (every figure computed: the
            # statements that read the plan and the figures).
            cache_clear()
            with CaptureQueriesContext(connection) as cold:
                fetch()
            shards[name] = {
                "steady": wide_statements(connection, ctx.captured_queries),
                "cold": wide_statements(connection, cold.captured_queries),
            }
            fetch()

    uncached = uncached_dashboard_ms(gov, year)

    started = time.perf_counter()
    rollup = national_grades(year)
    rollup_s = round(time.perf_counter() - started, 3)
    assert len(rollup.rows) == Government.objects.filter(slug__startswith="sint-").count()

    print(
        json.dumps(
            {
                "targets": targets,
                "queries": queries,
                "shards": shards,
                "rollup_all_grades_s": rollup_s,
                "uncached_dashboard_ms": uncached,
                "governments": Government.objects.count(),
                "realisations": Realisation.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    main()
