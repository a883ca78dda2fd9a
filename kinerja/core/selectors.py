from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from kinerja.core.models import AuditEvent


def history_for(obj: Model) -> QuerySet[AuditEvent]:
    """The object's audit rows, read in its government's rows only (one shard on Citus)."""
    return AuditEvent.objects.filter(
        government_id=getattr(obj, "government_id", 0),
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
    ).select_related("actor__person")


def field_labels(model: type[Model]) -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        labels[f.attname] = getattr(f, "verbose_name", f.name)
    for f in model._meta.many_to_many:
        labels[f.name] = f.verbose_name
    labels["targets"] = "target tahunan"
    return labels
