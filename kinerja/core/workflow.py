"""One way to change a status (decision 0011).

Each workflow is declared once, on its model, as a `Workflow`: the states and, for every
transition, the states it may start from and the state it leads to. A service asks the workflow
to `check` a transition (a wrong state is refused with the code ``wrong_state`` and a message in
the reader's language naming what was tried, the current state and the states it needs) and to
`apply` it (check, change, save and write the audit row, inside the service's transaction).

A workflow whose state is derived rather than stored (a negotiation's last move, a reward year's
closing date) declares how to read it; its services check through the same `check` and write
their own rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kinerja.core.audit import record, snapshot

WRONG_STATE = "wrong_state"


@dataclass(frozen=True)
class Transition:
    """A named step: the states it may start from, the state it leads to (None: the state is
    not stored, or does not change) and what a person does by it, for the refusal message."""

    source: tuple[str, ...]
    target: str | None
    doing: str | Promise
    # A fuller refusal for a particular wrong state ("verified: correct it instead").
    hints: Mapping[str, str | Promise] = dataclass_field(default_factory=dict)


class Workflow:
    """The states of one model and the transitions between them."""

    def __init__(
        self,
        *,
        states: Iterable[tuple[str, Any]],
        transitions: Mapping[str, Transition],
        field: str = "status",
        state: Callable[[Any], str] | None = None,
        what: str | Promise | None = None,
    ) -> None:
        self.what = what  # the object's name in a refusal; its model's verbose name if None
        self.labels: dict[str, Any] = dict(states)
        self.transitions = dict(transitions)
        self.field = field
        self._state = state
        for name, step in self.transitions.items():
            unknown = [s for s in (*step.source, step.target) if s and s not in self.labels]
            if unknown:  # a typo in a declaration fails at import, not in front of a user
                raise ValueError(f"{name}: unknown states {unknown}")

    def state_of(self, obj: Any) -> str:
        return self._state(obj) if self._state else getattr(obj, self.field)

    def label(self, state: str) -> str:
        return str(self.labels.get(state, state))

    def can(self, obj: Any, name: str, *, state: str | None = None) -> bool:
        current = self.state_of(obj) if state is None else state
        return current in self.transitions[name].source

    def check(
        self,
        obj: Any,
        name: str,
        *,
        state: str | None = None,
        doing: str | Promise | None = None,
    ) -> Transition:
        """The transition, or a refusal (code ``wrong_state``) when `obj` is in another state.
        `state` overrides the state read from `obj` (for a state just read under a lock);
        `doing` names the particular action when one transition serves several."""
        step = self.transitions[name]
        current = self.state_of(obj) if state is None else state
        if current not in step.source:
            if current in step.hints:
                raise ValidationError(str(step.hints[current]), code=WRONG_STATE)
            raise ValidationError(
                _("Tidak dapat %(doing)s: %(what)s berstatus “%(state)s”, seharusnya %(allowed)s."),
                code=WRONG_STATE,
                params={
                    "doing": str(doing or step.doing),
                    "what": str(self.what or obj._meta.verbose_name),
                    "state": self.label(current),
                    "allowed": _(" atau ").join(f"“{self.label(s)}”" for s in step.source),
                },
            )
        return step

    def apply(
        self,
        obj: models.Model,
        name: str,
        *,
        by: Any,
        action: str,
        changes: Mapping[str, Any] | None = None,
        note: str = "",
    ) -> models.Model:
        """Check the transition, set the new state and `changes`, save those fields and write
        the audit row (before and after). Call it inside the service's transaction, on a row
        locked with select_for_update."""
        step = self.check(obj, name)
        before = snapshot(obj)
        fields = dict(changes or {})
        if step.target is not None:
            fields[self.field] = step.target
        for attname, value in fields.items():
            setattr(obj, attname, value)
        update = list(fields)
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            update.append("updated_at")
        obj.save(update_fields=update)
        record(actor=by, action=action, obj=obj, before=before, after=snapshot(obj), note=note)
        return obj
