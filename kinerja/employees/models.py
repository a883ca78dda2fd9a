"""The cascade to people: each government's policy for it, and the action plans (rencana aksi)
of the agreements' indicators.

An action plan belongs to one indicator of an agreement in one year: a plan indicator (what
the unit head agreed to) or a cascade indicator (an administrator's or a supervisor's). It
holds a target and, once reported, a realisation for each period (TW I–IV, or each month where
the government chooses), with the factors that helped and hindered and the follow-up; and the
actions and sub-actions that will reach the targets, each with the person responsible and its
budget."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Government, Person, Unit
from kinerja.agreements.models import CascadeIndicator
from kinerja.planning.models import VALUE_DIGITS, VALUE_PLACES, Indicator


class CascadePolicy(models.Model):
    """A government's choices for the cascade to people (national defaults when absent)."""

    class Rounding(models.TextChoices):
        EXACT = "exact", _("Persentase persis (tanpa pembulatan)")
        NEAREST = "nearest", _("Dibulatkan ke orang terdekat")

    government = models.OneToOneField(
        Government, on_delete=models.CASCADE, related_name="cascade_policy"
    )
    action_plan_periods = models.PositiveSmallIntegerField(
        _("periode rencana aksi"),
        choices=[(4, _("Triwulanan (TW I–IV)")), (12, _("Bulanan"))],
        default=4,
    )
    rounding = models.CharField(
        _("pembulatan batas distribusi untuk unit kecil"),
        max_length=8,
        choices=Rounding.choices,
        default=Rounding.EXACT,
    )
    # {organisation predicate: [{"kind", "predicates", "percent" | "people"}]}; empty: the
    # national defaults (kinerja.employees.rules.DEFAULT_BOUNDS).
    distribution_bounds = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("kebijakan kinerja pegawai")
        verbose_name_plural = _("kebijakan kinerja pegawai")

    def __str__(self) -> str:
        return str(self.government)


class ActionPlan(models.Model):
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="action_plans")
    year = models.PositiveSmallIntegerField(_("tahun"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="action_plans"
    )
    cascade_indicator = models.ForeignKey(
        CascadeIndicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plans",
    )
    periods = models.PositiveSmallIntegerField(_("jumlah periode"), default=4)

    class Meta:
        ordering = ["unit", "year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(indicator__isnull=False, cascade_indicator__isnull=True)
                    | Q(indicator__isnull=True, cascade_indicator__isnull=False)
                ),
                name="action_plan_one_indicator",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(indicator__isnull=False),
                name="action_plan_indicator_year",
            ),
            models.UniqueConstraint(
                fields=["cascade_indicator", "year"],
                condition=Q(cascade_indicator__isnull=False),
                name="action_plan_cascade_year",
            ),
            models.CheckConstraint(
                condition=Q(periods__in=[4, 12]), name="action_plan_periods_4_or_12"
            ),
        ]
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")

    def __str__(self) -> str:
        return f"{self.year} {self.subject_name}"

    @property
    def subject_name(self) -> str:
        if self.indicator_id and self.indicator:
            return f"{self.indicator.code} {self.indicator.name}"
        return self.cascade_indicator.name if self.cascade_indicator else ""

    @property
    def rule(self) -> Indicator | CascadeIndicator:
        """Where the polarity, formula and aggregation come from."""
        return self.indicator or self.cascade_indicator  # type: ignore[return-value]


class ActionPlanPeriod(models.Model):
    """One period of an action plan: its target and, once reported, its realisation."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="period_rows")
    period = models.PositiveSmallIntegerField(_("periode"))
    target = models.DecimalField(
        _("target"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    value = models.DecimalField(
        _("realisasi"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    supporting = models.TextField(_("faktor pendukung"), blank=True, max_length=2000)
    hindering = models.TextField(_("faktor penghambat"), blank=True, max_length=2000)
    follow_up = models.TextField(_("tindak lanjut"), blank=True, max_length=2000)
    reported_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "period"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="action_plan_period_unique"),
            models.CheckConstraint(
                condition=Q(period__gte=1, period__lte=12), name="action_plan_period_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} P{self.period}"


class Action(models.Model):
    """An action (or, with a parent, a sub-action) of an action plan."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    title = models.CharField(_("aksi"), max_length=500)
    responsible = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penanggung jawab"),
    )
    budget = models.DecimalField(
        _("anggaran"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    period_from = models.PositiveSmallIntegerField(_("mulai periode"), default=1)
    period_to = models.PositiveSmallIntegerField(_("sampai periode"), default=4)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__gte=1, period_to__lte=12)
                & Q(period_to__gte=models.F("period_from")),
                name="action_periods_ordered",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="action_budget_positive"
            ),
        ]
        verbose_name = _("aksi")
        verbose_name_plural = _("aksi")

    def __str__(self) -> str:
        return self.title
