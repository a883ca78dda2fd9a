"""On a Citus coordinator: the statements of a request that read more than one shard, each
with where in our code it was issued (Citus's plan, by EXPLAIN; decision 0018)."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.core import distribution

STATEMENTS = {"SELECT", "INSERT", "UPDATE", "DELETE"}


def wide(fetch: Callable[[], Any]) -> tuple[Any, list[str], int]:
    """`fetch()`'s result, "origin: statement" of each statement that read more than one
    shard, and how many queries `fetch()` made (the EXPLAINs made afterwards not counted)."""
    origins: list[str] = []

    def remember(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        frames = [
            f"{f.filename.rsplit('/kinerja/', 1)[-1]}:{f.lineno}"
            for f in traceback.extract_stack()
            if "/kinerja/" in f.filename
        ]
        origins.append(" < ".join(reversed(frames[-3:])))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(remember):
        result = fetch()
    queries = captured.captured_queries
    same = len(origins) == len(queries)  # one wrapper call per captured query
    found = []
    for i, query in enumerate(queries):
        sql = query["sql"]
        if sql.lstrip().split(" ", 1)[0].upper() not in STATEMENTS:
            continue
        if distribution.shards_read(connection, sql) > 1:
            found.append(f"{origins[i] if same else '?'}: {sql[:160]}")
    return result, found, len(queries)
