"""What every spreadsheet import keeps between its preview and its confirmation: the uploaded
file (its content only while it is valid), who uploaded it and when, its state and the errors
that rejected it. Each import is a model of its own (its table, its scope: a term, a date) on
this abstract base, with the same workflow: previewed, then applied once or rejected."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kinerja.core.workflow import Transition, Workflow


class KeptUpload(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Pratinjau")
        APPLIED = "applied", _("Disimpan")
        REJECTED = "rejected", _("Ditolak")

    government = models.ForeignKey(
        "accounts.Government", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


def kept_upload_workflow(what: str | Promise) -> Workflow:
    """The import's workflow, named for what it imports in refusals."""
    status = KeptUpload.Status
    return Workflow(
        what=what,
        states=status.choices,
        transitions={
            "apply": Transition(
                (status.PREVIEWED,),
                status.APPLIED,
                _("menyimpan impor"),
                hints={
                    s: _("Impor ini sudah diproses dan tidak dapat disimpan lagi.")
                    for s in ("applied", "rejected")
                },
            ),
            "reject": Transition((status.PREVIEWED,), status.REJECTED, _("menolak impor")),
        },
    )
