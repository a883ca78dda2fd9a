"""Refusals asserted by their stable code, not their words (which follow the reader's
language); and the workflow tests' helpers (tests/*/test_transitions.py): a refused transition
carries the code ``wrong_state`` and writes nothing to the audit trail, a taken one its row."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kinerja.core.models import AuditEvent
from kinerja.core.workflow import WRONG_STATE


@contextmanager
def refused(code: str) -> Iterator[pytest.ExceptionInfo[ValidationError]]:
    """The block raises a ValidationError carrying `code` (among its errors)."""
    with pytest.raises(ValidationError) as caught:
        yield caught
    codes = [e.code for e in caught.value.error_list] if hasattr(caught.value, "error_list") else []
    assert code in codes, f"{code} not in {codes}: {caught.value.messages}"


@contextmanager
def refused_for_state() -> Iterator[None]:
    """The block is refused by the workflow (code wrong_state) and writes no audit row."""
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        yield
    assert [e.code for e in caught.value.error_list] == [WRONG_STATE], caught.value
    assert AuditEvent.objects.count() == before


def audited(action: str, obj: Any, call: Callable[[], Any]) -> Any:
    """Run `call`; exactly one new audit row `action` is written for `obj`, with before and
    after. Returns what `call` returned."""
    seen = set(AuditEvent.objects.filter(action=action).values_list("pk", flat=True))
    result = call()
    new = AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).exclude(pk__in=seen)
    assert new.count() == 1, f"{action}: {new.count()} rows"
    row = new.get()
    assert row.after is not None
    return result
