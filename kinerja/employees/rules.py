"""The predicates of people and of organisations (PermenPAN-RB 6/2022, SE MenPAN-RB 3/2023):
pure Python, no Django import.

An employee's predicate comes from two ratings, of results and of behaviour, each "above",
"as_expected" or "below" expectation, through the official matrix (rows: results; columns:
behaviour below / as expected / above):

    results above        Kurang/Misconduct   Baik   Sangat Baik
    results as expected  Kurang/Misconduct   Baik   Baik
    results below        Sangat Kurang       Butuh Perbaikan   Butuh Perbaikan

The organisation's predicate (Istimewa, Baik, Butuh Perbaikan, Kurang, Sangat Kurang) bounds
how its employees' predicates may be distributed. Our sources for the bounds are secondary, so
they are data (DEFAULT_BOUNDS, the national defaults; a government keeps its own), and so is the
way a share becomes a number of people in a small unit, which no rule settles:

- "exact" (the default): the share itself is compared, without rounding: "at most 70 %" of 3
  people allows 2 (66,7 %), never 3; "at least 60 %" of 3 needs 2 (1,8 rounded up, since a
  person cannot be split);
- "nearest": the share of the people is first rounded to the nearest whole person (half up):
  "at most 10 %" of 5 people allows 1 (0,5 → 1), "at least 60 %" of 3 needs 2.

A bound may also be a number of people ("at least one Butuh Perbaikan or Kurang/Misconduct").
An empty unit breaks nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Literal

HUNDRED = Decimal(100)

Rating = Literal["above", "as_expected", "below"]
RATINGS: tuple[str, ...] = ("above", "as_expected", "below")
RATING_LABELS = {
    "above": "Di atas ekspektasi",
    "as_expected": "Sesuai ekspektasi",
    "below": "Di bawah ekspektasi",
}

SANGAT_BAIK = "sangat_baik"
BAIK = "baik"
BUTUH_PERBAIKAN = "butuh_perbaikan"
KURANG_MISCONDUCT = "kurang_misconduct"
SANGAT_KURANG = "sangat_kurang"
EMPLOYEE_PREDICATES: tuple[str, ...] = (
    SANGAT_BAIK,
    BAIK,
    BUTUH_PERBAIKAN,
    KURANG_MISCONDUCT,
    SANGAT_KURANG,
)
EMPLOYEE_LABELS = {
    SANGAT_BAIK: "Sangat Baik",
    BAIK: "Baik",
    BUTUH_PERBAIKAN: "Butuh Perbaikan",
    KURANG_MISCONDUCT: "Kurang/Misconduct",
    SANGAT_KURANG: "Sangat Kurang",
}

ISTIMEWA = "istimewa"
KURANG = "kurang"
ORGANISATION_PREDICATES: tuple[str, ...] = (
    ISTIMEWA,
    BAIK,
    BUTUH_PERBAIKAN,
    KURANG,
    SANGAT_KURANG,
)
ORGANISATION_LABELS = {
    ISTIMEWA: "Istimewa",
    BAIK: "Baik",
    BUTUH_PERBAIKAN: "Butuh Perbaikan",
    KURANG: "Kurang",
    SANGAT_KURANG: "Sangat Kurang",
}

# (results, behaviour) → predicate: the official matrix.
MATRIX: dict[tuple[str, str], str] = {
    ("above", "below"): KURANG_MISCONDUCT,
    ("above", "as_expected"): BAIK,
    ("above", "above"): SANGAT_BAIK,
    ("as_expected", "below"): KURANG_MISCONDUCT,
    ("as_expected", "as_expected"): BAIK,
    ("as_expected", "above"): BAIK,
    ("below", "below"): SANGAT_KURANG,
    ("below", "as_expected"): BUTUH_PERBAIKAN,
    ("below", "above"): BUTUH_PERBAIKAN,
}


def employee_predicate(results: str, behaviour: str) -> str:
    """The employee's predicate from the rating of results and the rating of behaviour."""
    try:
        return MATRIX[(results, behaviour)]
    except KeyError:
        raise ValueError(
            f"Penilaian '{results}'/'{behaviour}' tidak dikenal: gunakan {', '.join(RATINGS)}."
        ) from None


Rounding = Literal["exact", "nearest"]


@dataclass(frozen=True)
class Bound:
    """One rule of a distribution: the people with any of `predicates` are at most or at least
    `percent` % of the unit's, or at least / at most `people` people."""

    kind: Literal["at_most", "at_least"]
    predicates: tuple[str, ...]
    percent: Decimal | None = None
    people: int | None = None

    def limit(self, total: int, rounding: str = "exact") -> int:
        """The number of people the bound allows (at most) or needs (at least) in a unit of
        `total` people."""
        if self.people is not None:
            return self.people
        share = (self.percent or Decimal(0)) * total / HUNDRED
        if rounding == "nearest":
            return int(share.to_integral_value(ROUND_HALF_UP))
        if rounding != "exact":
            raise ValueError(f"Pembulatan '{rounding}' tidak dikenal.")
        # Exact: the largest whole number not above the share, or the smallest not below it.
        return int(
            share.to_integral_value(ROUND_FLOOR if self.kind == "at_most" else ROUND_CEILING)
        )

    def text(self) -> str:
        names = " dan ".join(EMPLOYEE_LABELS.get(p, p) for p in self.predicates)
        together = " (bersama-sama)" if len(self.predicates) > 1 else ""
        if self.people is not None:
            if self.kind == "at_most" and self.people == 0:
                return f"tidak boleh ada {names}"
            word = "paling banyak" if self.kind == "at_most" else "paling sedikit"
            return f"{names}{together} {word} {self.people} orang"
        word = "paling banyak" if self.kind == "at_most" else "paling sedikit"
        return f"{names}{together} {word} {_percent(self.percent)}% pegawai"


@dataclass(frozen=True)
class Problem:
    """A bound the distribution breaks: what it allows or needs, and what there is."""

    bound: Bound
    count: int  # people with the bound's predicates
    total: int  # people in the distribution
    limit: int  # people allowed (at most) or needed (at least)

    def text(self, organisation: str) -> str:
        org = ORGANISATION_LABELS.get(organisation, organisation)
        rule = self.bound.text()
        return (
            f"Predikat organisasi {org}: {rule}; "
            f"{'boleh' if self.bound.kind == 'at_most' else 'perlu'} {self.limit} dari "
            f"{self.total} orang, ada {self.count}."
        )


def _percent(value: Decimal | None) -> str:
    text = format(value or Decimal(0), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _p(percent: str) -> Decimal:
    return Decimal(percent)


# The national defaults (SE MenPAN-RB 3/2023, as domain.md reads it).
DEFAULT_BOUNDS: dict[str, tuple[Bound, ...]] = {
    ISTIMEWA: (Bound("at_most", (SANGAT_BAIK,), percent=_p("70")),),
    BAIK: (
        Bound("at_most", (BAIK,), percent=_p("70")),
        Bound("at_least", (BUTUH_PERBAIKAN, KURANG_MISCONDUCT), people=1),
    ),
    BUTUH_PERBAIKAN: (
        Bound("at_least", (BUTUH_PERBAIKAN,), percent=_p("60")),
        Bound("at_most", (SANGAT_BAIK,), percent=_p("10")),
    ),
    KURANG: (
        Bound("at_least", (KURANG_MISCONDUCT,), percent=_p("60")),
        Bound("at_least", (BUTUH_PERBAIKAN,), percent=_p("10")),
        Bound("at_most", (SANGAT_BAIK,), percent=_p("10")),
    ),
    SANGAT_KURANG: (
        Bound("at_least", (SANGAT_KURANG,), percent=_p("60")),
        Bound("at_least", (KURANG_MISCONDUCT, BUTUH_PERBAIKAN), percent=_p("10")),
        Bound("at_most", (SANGAT_BAIK,), people=0),
    ),
}


def distribution_problems(
    organisation: str,
    counts: Mapping[str, int],
    *,
    bounds: Mapping[str, Sequence[Bound]] | None = None,
    rounding: str = "exact",
) -> list[Problem]:
    """The bounds of the organisation's predicate that `counts` (employee predicate → number
    of people) breaks; empty when the distribution is allowed."""
    rules = DEFAULT_BOUNDS if bounds is None else bounds
    if organisation not in rules:
        raise ValueError(f"Predikat organisasi '{organisation}' tidak dikenal.")
    unknown = set(counts) - set(EMPLOYEE_PREDICATES)
    if unknown:
        raise ValueError(f"Predikat pegawai tidak dikenal: {', '.join(sorted(unknown))}.")
    if any(n < 0 for n in counts.values()):
        raise ValueError("Jumlah pegawai tidak boleh negatif.")
    total = sum(counts.values())
    if total == 0:
        return []
    problems = []
    for bound in rules[organisation]:
        count = sum(counts.get(p, 0) for p in bound.predicates)
        limit = bound.limit(total, rounding)
        broken = count > limit if bound.kind == "at_most" else count < limit
        if broken:
            problems.append(Problem(bound=bound, count=count, total=total, limit=limit))
    return problems


def bounds_from_data(
    data: Mapping[str, Sequence[Mapping[str, object]]],
) -> dict[str, tuple[Bound, ...]]:
    """Bounds kept as data (a government's policy, JSON): {organisation: [{"kind", "predicates",
    "percent" or "people"}]}. Raises ValueError naming what is wrong."""
    result: dict[str, tuple[Bound, ...]] = {}
    for organisation, items in data.items():
        if organisation not in ORGANISATION_PREDICATES:
            raise ValueError(f"Predikat organisasi '{organisation}' tidak dikenal.")
        bounds = []
        for item in items:
            kind = item.get("kind")
            predicates = tuple(str(p) for p in item.get("predicates", ()))  # type: ignore[attr-defined]
            if kind not in ("at_most", "at_least"):
                raise ValueError(f"Jenis batas '{kind}' tidak dikenal.")
            if not predicates or set(predicates) - set(EMPLOYEE_PREDICATES):
                raise ValueError(f"Predikat pegawai pada batas {organisation} tidak dikenal.")
            percent, people = item.get("percent"), item.get("people")
            if (percent is None) == (people is None):
                raise ValueError("Sebuah batas berupa persen atau jumlah orang, salah satu.")
            pct = Decimal(str(percent)) if percent is not None else None
            if pct is not None and not (0 <= pct <= 100):
                raise ValueError("Persen batas harus antara 0 dan 100.")
            n = int(str(people)) if people is not None else None
            if n is not None and n < 0:
                raise ValueError("Jumlah orang batas tidak boleh negatif.")
            bounds.append(Bound(kind, predicates, percent=pct, people=n))
        result[organisation] = tuple(bounds)
    return result


def bounds_to_data(bounds: Mapping[str, Sequence[Bound]]) -> dict[str, list[dict[str, object]]]:
    """The inverse of bounds_from_data, for storing a policy."""
    return {
        org: [
            {"kind": b.kind, "predicates": list(b.predicates)}
            | ({"percent": str(b.percent)} if b.percent is not None else {"people": b.people})
            for b in items
        ]
        for org, items in bounds.items()
    }
