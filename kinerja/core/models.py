from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """What an audit row holds: who, when, what, and the object's fields before and after."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=80)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """Fields whose value differs between before and after, as (field, old, new)."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class AuditEvent(AuditRecord):
    """One state change in a government.

    Written only by `kinerja.core.audit.record`, which every service calls. Never updated.
    """

    government = models.ForeignKey(
        "accounts.Government", on_delete=models.PROTECT, related_name="+"
    )

    class Meta(AuditRecord.Meta):
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            # The latest change of a government: the key of its cached figures.
            models.Index(fields=["government", "-id"], name="audit_government_latest"),
        ]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")


class PlatformEvent(AuditRecord):
    """A state change outside every government: a platform administrator's own account.
    Kept apart so that every `AuditEvent` has its government, the key it is distributed by on
    Citus (decision 0018); this table stays on the coordinator."""

    class Meta(AuditRecord.Meta):
        verbose_name = _("catatan audit platform")
        verbose_name_plural = _("catatan audit platform")


class TenantChild(models.Model):
    """A tenant-owned row whose government follows from its parent (a band of a policy, a
    file of a document): it carries the government key too, so that every tenant row can be
    found, partitioned and distributed by government (docs/scaling.md). `save()` fills it from
    the parent named by `tenant_parent`; bulk writes set it themselves."""

    tenant_parent: str = ""

    government = models.ForeignKey(
        "accounts.Government", on_delete=models.CASCADE, related_name="+", editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.government_id is None:
            self.government_id = self.parent_government_id()
        super().save(*args, **kwargs)

    def parent_government_id(self) -> int | None:
        parent: object = self
        for name in self.tenant_parent.split("."):
            parent = getattr(parent, name)
        return getattr(parent, "government_id", None)
