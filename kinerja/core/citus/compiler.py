"""Django's PostgreSQL compilers, with one change for Citus: an UPDATE of a row of a
distributed table that writes its `government_id` (every `save()` writes every column) also
names that government in its WHERE. Citus refuses an UPDATE that may change the distribution
column, unless the WHERE pins it to the value written ("modifying the partition value of rows
is not allowed"); pinned, the UPDATE also goes to one shard. A row whose government differs
from the one written is not matched: a row never moves to another government."""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import compiler as postgresql
from django.db.backends.postgresql.compiler import *  # noqa: F403 - every compiler, as Django's
from django.db.models import Q

from kinerja.core.distribution import DISTRIBUTION_COLUMN, kind_of


class SQLUpdateCompiler(postgresql.SQLUpdateCompiler):  # type: ignore[no-redef]
    def as_sql(self, *args: Any, **kwargs: Any) -> Any:
        query: Any = self.query
        if kind_of(query.model._meta.db_table) == "distributed" and not getattr(
            query, "_government_pinned", False
        ):
            for field, _model, value in query.values:
                if field.attname == DISTRIBUTION_COLUMN and isinstance(value, int):
                    query.add_q(Q(**{DISTRIBUTION_COLUMN: value}))
                    query._government_pinned = True
                    break
        return super().as_sql(*args, **kwargs)
