"""Reads for the head of region's dashboard and the public portal, each a fixed handful of
queries whatever the size of the government."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from kinerja.accounts.models import Government
from kinerja.agreements import selectors as agreements
from kinerja.auction.models import AuctionSession
from kinerja.core.numbers import plain_decimal
from kinerja.documents.models import Document
from kinerja.evaluation import selectors as evaluation
from kinerja.monitoring import selectors as monitoring
from kinerja.monitoring.models import Realisation
from kinerja.monitoring.selectors import QUARTERS, Overview
from kinerja.planning import calendar

OPEN_DATA_FORMAT = "kinerja-open-data/1"


@dataclass
class DocumentCounts:
    signed: int
    awaiting: int

    @property
    def total(self) -> int:
        return self.signed + self.awaiting


def document_counts(government: Government, kind: str) -> DocumentCounts:
    """Current (not superseded) documents of a kind, signed or awaiting signatures."""
    rows = Document.objects.filter(government=government, kind=kind, superseded_by__isnull=True)
    counts = rows.aggregate(
        signed=Count("pk", filter=Q(status=Document.Status.SIGNED)),
        awaiting=Count("pk", filter=Q(status=Document.Status.AWAITING)),
    )
    return DocumentCounts(counts["signed"], counts["awaiting"])


@dataclass
class AgreementSummary:
    year: int
    due: datetime.date | None
    signed: int
    awaiting: int
    missing: int
    late: int
    total: int


def agreement_summary(government: Government, year: int, today: datetime.date) -> AgreementSummary:
    rows = agreements.year_overview(government, year, today)
    signed = sum(1 for r in rows if r.agreement and r.agreement.signed_at)
    missing = sum(1 for r in rows if r.agreement is None)
    return AgreementSummary(
        year=year,
        due=rows[0].due if rows else None,
        signed=signed,
        awaiting=len(rows) - signed - missing,
        missing=missing,
        late=sum(1 for r in rows if r.late),
        total=len(rows),
    )


def dashboard(
    government: Government, *, view: Overview, year: int, today: datetime.date
) -> dict[str, Any]:
    """Everything on the head of region's dashboard: the overview (from the shared figures,
    kinerja.monitoring.figures) and the counts beside it, read fresh (a few small queries)."""
    grades = evaluation.government_grades(government)
    return {
        "view": view,
        "ranked": monitoring.ranked_units(view),
        "contracts": document_counts(government, Document.Kind.CONTRACT),
        "pacts": document_counts(government, Document.Kind.PACT),
        "sessions": list(
            AuctionSession.objects.filter(government=government).order_by("-scheduled_on")[:3]
        ),
        "agreements": agreement_summary(government, year, today),
        # The newest grade up to the year shown (the 2022 dashboard shows 2022's, not today's).
        "grade": next((g for g in grades if g.year <= year), None),
        "pending": Realisation.objects.filter(
            government=government, is_current=True, status=Realisation.Status.SUBMITTED
        ).count(),
    }


# --- the public portal -----------------------------------------------------------------


def published_years(government: Government) -> list[int]:
    """The years the planners have published (kinerja.planning.calendar): entering or
    verifying a figure never adds, removes or moves one."""
    return sorted(calendar.publications(government))


def published_quarter(government: Government, year: int) -> int:
    """The last quarter published for the year, as the planners set it."""
    return calendar.publications(government).get(year, QUARTERS)


def public_overview(government: Government, year: int, quarter: int) -> Overview:
    return monitoring.overview(government, year=year, as_of_quarter=quarter, published_only=True)


def published_documents(government: Government) -> list[Document]:
    """Fully signed, current contracts and agreements (and pacts), newest first."""
    return list(
        Document.objects.filter(
            government=government,
            status=Document.Status.SIGNED,
            superseded_by__isnull=True,
            kind__in=[Document.Kind.CONTRACT, Document.Kind.AGREEMENT, Document.Kind.PACT],
        ).order_by("kind", "title")
    )


def documents_of_unit(documents: list[Document], unit_id: int) -> list[Document]:
    """The unit's own documents among the government's: its auction pact and contract
    ("auction.session:S:unit:U") and its agreements ("agreement:G:U:YEAR")."""
    result = []
    unit = str(unit_id)
    for d in documents:
        parts = d.subject.split(":")
        auction = parts[0] == "auction.session" and parts[-2:] == ["unit", unit]
        agreement = parts[0] == "agreement" and len(parts) == 4 and parts[2] == unit
        if auction or agreement:
            result.append(d)
    return result


def open_data(government: Government, year: int, quarter: int) -> dict[str, Any]:
    """The open data of a year in the documented format (docs/open-data.md): units with
    their score and rank, and every indicator with target, realisation and achievement.
    Verified figures only."""
    view = public_overview(government, year, quarter)
    ranked = evaluation.rank([(n.obj, n.to_date.value) for n in view.units])  # type: ignore[misc]
    units = [
        {
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind,
            "achievement_percent": plain_decimal(score, 4),
            "rank": position,
        }
        for unit, score, position in ranked
    ]
    indicators = []
    for status in view.statuses.values():
        ind = status.indicator
        owner = ind.owner_unit
        indicators.append(
            {
                "code": ind.code,
                "name": ind.name,
                "unit_of_measure": ind.unit_of_measure,
                "objective_code": ind.objective.code,
                "unit_code": owner.code if owner else None,
                "unit_name": owner.name if owner else None,
                "polarity": ind.polarity,
                "aggregation": ind.aggregation,
                "periods_in_year": status.per_year,
                "periods_reported": status.reported,
                "target": plain_decimal(status.target),
                "target_high": plain_decimal(status.target_high),
                "target_to_date": plain_decimal(status.to_date_target),
                "realisation_to_date": plain_decimal(status.to_date_value),
                "achievement_percent": plain_decimal(status.to_date.value, 4),
                "achievement_note": status.to_date.reason if status.to_date.value is None else "",
            }
        )
    return {
        "format": OPEN_DATA_FORMAT,
        "government": {
            "slug": government.slug,
            "name": government.name,
            "province": government.province,
        },
        "year": year,
        "as_of_quarter": quarter,
        "achievement_percent": plain_decimal(view.root.to_date.value, 4),
        "units": units,
        "indicators": indicators,
    }


CSV_COLUMNS = [
    "government_slug",
    "year",
    "as_of_quarter",
    "unit_code",
    "unit_name",
    "objective_code",
    "indicator_code",
    "indicator_name",
    "unit_of_measure",
    "polarity",
    "aggregation",
    "periods_in_year",
    "periods_reported",
    "target",
    "target_high",
    "target_to_date",
    "realisation_to_date",
    "achievement_percent",
    "achievement_note",
]


def open_data_rows(data: dict[str, Any]) -> list[list[Any]]:
    """The indicators of `open_data` as CSV rows, in CSV_COLUMNS order."""
    rows = []
    for ind in data["indicators"]:
        rows.append(
            [
                data["government"]["slug"],
                data["year"],
                data["as_of_quarter"],
                ind["unit_code"] or "",
                ind["unit_name"] or "",
                ind["objective_code"],
                ind["code"],
                ind["name"],
                ind["unit_of_measure"],
                ind["polarity"],
                ind["aggregation"],
                ind["periods_in_year"],
                ind["periods_reported"],
                ind["target"] or "",
                ind["target_high"] or "",
                ind["target_to_date"] or "",
                ind["realisation_to_date"] or "",
                ind["achievement_percent"] or "",
                ind["achievement_note"],
            ]
        )
    return rows
