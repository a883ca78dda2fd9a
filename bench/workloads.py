"""Long operations timed by bench/run.py inside the app's environment (DATABASE_URL set),
printing JSON: `workloads.py import` imports a 5,000-row realisation workbook (read and
checked, then saved as drafts through the services, as the upload page does);
`workloads.py agreements` generates and signs a year's Perjanjian Kinerja for every unit and
the head of region (on a fresh city: signed documents are never deleted).

The workbook's unit is made once in government sint-0001 (a unit answering for 1,666
monthly and 2 quarterly indicators, so that one quarter's sheet has 5,000 rows); each run
enters other figures than the last, so every row is a change."""

from __future__ import annotations

import io
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import transaction
from openpyxl import load_workbook

from kinerja.accounts.models import Government, Role, RoleAssignment, Unit, User
from kinerja.agreements.models import Agreement
from kinerja.monitoring import figures, workbook
from kinerja.monitoring.models import Realisation
from kinerja.planning.models import Indicator, IndicatorTarget, Objective, Term
from kinerja.sampledata.synthetic import YEARS, slug

ROWS = 5000
# Monthly ones have three rows in a quarter, quarterly ones one: 1,666 × 3 + 2 = 5,000.
INDICATORS = 1668
QUARTERLY = 2
CODE = "BENCH-IMPOR"


def remove_import_unit(gov: Government) -> None:
    """The workbook's unit is the bench's own: removed after each run (and any left over),
    so that the city measured by the pages stays 45 units and 600 indicators. Its operator's
    account stays (audit rows name it)."""
    for unit in Unit.objects.filter(government=gov, code=CODE):
        with transaction.atomic():
            Realisation.objects.filter(indicator__objective__unit=unit).delete()
            Indicator.objects.filter(objective__unit=unit).delete()
            Objective.objects.filter(unit=unit).delete()
            RoleAssignment.objects.filter(unit=unit).delete()
            Agreement.objects.filter(unit=unit).delete()
            unit.delete()
            figures.bump_all(gov.pk)


def import_unit(gov: Government) -> tuple[Unit, User]:
    remove_import_unit(gov)
    with transaction.atomic():
        unit = Unit.objects.create(
            government=gov, kind=Unit.Kind.AGENCY, code=CODE, name="Dinas Bench Impor"
        )
        term = Term.objects.get(government=gov, is_current=True)
        serves = Objective.objects.filter(term=term, unit__isnull=True).order_by("code")[0]
        objective = Objective.objects.create(
            government=gov,
            term=term,
            unit=unit,
            serves=serves,
            code=f"S.{CODE}",
            title="Sasaran bench",
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(
                government=gov,
                objective=objective,
                code=f"IB.{k:04d}",
                name=f"Indikator impor {k:04d}",
                unit_of_measure="unit",
                polarity="higher",
                aggregation="last",
                frequency=(
                    Indicator.Frequency.QUARTERLY if k <= QUARTERLY else Indicator.Frequency.MONTHLY
                ),
                baseline_value=Decimal(100),
                baseline_year=term.start_year,
            )
            for k in range(1, INDICATORS + 1)
        )
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(
                government=gov, indicator=i, year=YEARS[-1], value=Decimal(120), provenance="b"
            )
            for i in indicators
        )
        operator = User.objects.filter(username=f"{gov.slug}-impor").first()
        if operator is None:
            operator = User.objects.create_user(
                username=f"{gov.slug}-impor", government=gov, password=None
            )
        RoleAssignment.objects.create(user=operator, role=Role.UNIT_OPERATOR, unit=unit)
        figures.bump_all(gov.pk)  # written in bulk
        return unit, operator


def filled_workbook(unit: Unit, year: int, quarter: int) -> bytes:
    """The unit's sheet as downloaded, with a figure typed in every row."""
    data = workbook.workbook_build(unit, year, quarter)
    book = load_workbook(io.BytesIO(data))
    sheet = book[workbook.SHEET_TITLE]
    column = workbook.COL["Realisasi"]
    offset = int(time.time()) % 50
    rows = 0
    for r in range(workbook.HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row=r, column=workbook.COL["ID"]).value is None:
            continue
        sheet.cell(row=r, column=column, value=100 + (r + offset) % 40)
        rows += 1
    out = io.BytesIO()
    book.save(out)
    assert rows == ROWS, rows
    return out.getvalue()


def import_workbook() -> dict[str, Any]:
    gov = Government.objects.get(slug=slug(1))
    unit, operator = import_unit(gov)
    year, quarter = YEARS[-1], 1
    data = filled_workbook(unit, year, quarter)
    started = time.perf_counter()
    parsed = workbook.workbook_read(unit, year, quarter, data)
    read = time.perf_counter() - started
    if parsed.errors:
        raise SystemExit(f"the workbook was refused: {parsed.errors[:3]}")
    saved = workbook.workbook_apply(unit=unit, year=year, changes=parsed.changes, by=operator)
    total = time.perf_counter() - started
    remove_import_unit(gov)
    return {
        "rows": len(parsed.changes) + parsed.unchanged,
        "saved": saved,
        "read_s": round(read, 2),
        "total_s": round(total, 2),
    }


PASSPHRASE = "bench-frasa-sandi-panjang-1"  # noqa: S105 - synthetic bench signers only


def signers(gov: Government) -> tuple[User, dict[int, User]]:
    """The head of region and a head for every unit, each holding the post since the term
    began, with a signing passphrase (made once)."""
    import datetime

    from kinerja.accounts.models import Person, Position, PositionAssignment
    from kinerja.documents.models import SigningSecret
    from kinerja.documents.services import signing_passphrase_set

    start = datetime.date(2020, 1, 1)
    head = User.objects.get(government=gov, roles__role=Role.HEAD_OF_REGION)
    with transaction.atomic():
        if head.person is None:
            head.person = Person.objects.create(government=gov, name="Kepala Daerah Sintetis")
            head.save(update_fields=["person"])
        region = Position.objects.filter(government=gov, kind=Position.Kind.HEAD_OF_REGION)
        if not region.exists():
            post = Position.objects.create(
                government=gov, kind=Position.Kind.HEAD_OF_REGION, title="Wali Kota Sintetis"
            )
            PositionAssignment.objects.create(position=post, person=head.person, start=start)
        heads = {}
        for unit in Unit.objects.filter(government=gov).order_by("pk"):
            user = User.objects.filter(roles__role=Role.UNIT_HEAD, roles__unit=unit).first()
            if user is None:
                person = Person.objects.create(government=gov, name=f"Kepala {unit.name}")
                user = User.objects.create_user(
                    username=f"{gov.slug}-kepala-{unit.pk}",
                    government=gov,
                    person=person,
                    password=None,
                )
                RoleAssignment.objects.create(user=user, role=Role.UNIT_HEAD, unit=unit)
                post = Position.objects.create(
                    government=gov,
                    unit=unit,
                    kind=Position.Kind.UNIT_HEAD,
                    title=f"Kepala {unit.name}",
                )
                PositionAssignment.objects.create(position=post, person=person, start=start)
            heads[unit.pk] = user
    for user in (head, *heads.values()):
        if not SigningSecret.objects.filter(person=user.person).exists():
            signing_passphrase_set(user=user, passphrase=PASSPHRASE, repeat=PASSPHRASE)
    return head, heads


def agreements_year() -> dict[str, Any]:
    """A year's Perjanjian Kinerja for every unit and the head of region: drafted from the
    plan and sent (each PDF issued, as the background batch does), then signed by every unit
    head and countersigned by the head of region. The year is made anew each run."""
    from kinerja.agreements.models import Agreement, AgreementBatch
    from kinerja.agreements.services import agreement_sign
    from kinerja.agreements.tasks import _generate

    gov = Government.objects.get(slug=slug(1))
    year = YEARS[-1]
    head, heads = signers(gov)
    planner = User.objects.get(government=gov, roles__role=Role.PLANNER)
    if Agreement.objects.filter(government=gov, year=year).exists():
        raise SystemExit("agreements of the year exist already: run on a fresh database")
    batch = AgreementBatch.objects.create(government=gov, year=year, created_by=planner)
    started = time.perf_counter()
    sent = _generate(batch)
    generated = time.perf_counter() - started
    signatures = 0
    awaiting = Agreement.objects.filter(
        government=gov, year=year, status=Agreement.Status.AWAITING
    ).order_by("pk")
    for agreement in awaiting:
        if agreement.unit_id is not None:
            agreement_sign(agreement=agreement, by=heads[agreement.unit_id], passphrase=PASSPHRASE)
            signatures += 1
        agreement_sign(agreement=agreement, by=head, passphrase=PASSPHRASE)
        signatures += 1
    total = time.perf_counter() - started
    signed = Agreement.objects.filter(government=gov, year=year, signed_at__isnull=False).count()
    batch.refresh_from_db()
    return {
        "agreements": sent,
        "not_sent": batch.message,
        "signed": signed,
        "signatures": signatures,
        "generate_s": round(generated, 1),
        "total_s": round(total, 1),
    }


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "import"
    if which == "import":
        print(json.dumps({"import_5000": import_workbook()}))
    else:
        print(json.dumps({"agreements_45": agreements_year()}))


if __name__ == "__main__":
    main()
