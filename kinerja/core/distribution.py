"""The national layout on a Citus cluster (decision 0018, docs/scaling.md): which table is
distributed by government, which is a reference table copied to every node, which stays on
the coordinator, and the steps that bring a migrated database there.

Citus requires of a table distributed by `government_id` that every primary key and unique
constraint includes `government_id`, and that a foreign key between two distributed tables
includes it on both sides. Django's schema has `id` primary keys and single-column foreign
keys; `distribute()` rewrites them in the database, keeping each constraint's and index's
name (so that a later migration that removes one by name still finds it):

1. drop the foreign keys of every table not yet in its place (a table linked by a foreign key
   to a reference table would otherwise be made a coordinator-local table, which then refuses
   distribution: "cannot complete operation on a table with identity column");
2. primary keys `(id)` become `(government_id, id)`; unique constraints and unique indexes
   gain `government_id` in front (each is per government already: its columns name a row of
   one government);
3. reference tables, then distributed tables co-located with one another;
4. the foreign keys again: between tenant tables `(government_id, x_id) → (government_id,
   id)`, which also makes the database refuse a row pointing into another government; to
   reference tables as they were; a key from a reference or coordinator table to a tenant
   table cannot exist on Citus and is left out (listed in the report; the application keeps
   it, as it keeps every cascade).

Every step looks at the database first, so running it again changes nothing. The steps run
one by one, not in one transaction (Citus copies a table's rows to its shards as it
distributes it); an interrupted run is finished by running it again.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, Q
from django.db.models.expressions import Col
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import Exact
from django.db.models.sql.where import WhereNode

# Copied to every node: small, read by every government's pages, joined with tenant rows.
REFERENCE = {
    "accounts_government": "the tenants themselves: the distribution key's table",
    "accounts_user": (
        "sign-in by username before any government is known; platform administrators have "
        "no government; every tenant table points to its users"
    ),
    "accounts_person": (
        "a user's person (names, posts, signatures) is read with the user on every page: a "
        "reference table cannot point into a distributed one"
    ),
    "documents_certificateauthority": "the deployment's own CA, one for all governments",
    "django_content_type": "Django: model registry",
    "auth_permission": "Django: permission registry",
    "auth_group": "Django: unused groups",
    "auth_group_permissions": "Django: unused groups",
    "accounts_user_groups": "Django: unused groups",
    "accounts_user_user_permissions": "Django: unused per-user permissions (roles are ours)",
}

# Kept on the coordinator: never joined with tenant rows, written often or by the platform.
LOCAL = {
    "accounts_loginattempt": "sign-in throttling, before any tenant is known",
    "accounts_loginthrottlekey": "sign-in throttling: the lock row of a (username, address) pair",
    "django_session": "sessions, keyed by session id",
    "django_admin_log": "platform administrators' log",
    "django_tasks_database_dbtaskresult": "the task queue (a job names its government)",
    "core_platformevent": "the audit rows of platform-level actions (no government)",
}

DISTRIBUTION_COLUMN = "government_id"


def tables() -> dict[str, str]:
    """Every model table and its kind: "distributed", "reference" or "local"."""
    Government = apps.get_model("accounts", "Government")
    kinds: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in REFERENCE:
            kinds[table] = "reference"
        elif table in LOCAL:
            kinds[table] = "local"
        else:
            fields = {f.name: f for f in model._meta.get_fields()}
            government = fields.get("government")
            if government is None or government.related_model is not Government:
                raise ValueError(
                    f"{table}: no government key and not listed as reference or local "
                    "(kinerja/core/distribution.py)"
                )
            kinds[table] = "distributed"
    return kinds


def _same_government(field: Any) -> Callable[[str | None, str | None], WhereNode | None]:
    local = field.model._meta.get_field("government")
    remote = field.related_model._meta.get_field("government")

    def get_extra_restriction(alias: str | None, related_alias: str | None) -> WhereNode | None:
        # alias: the related model's table in the join; related_alias: the field's model's.
        # Django passes None when it turns the join into a subquery (an exclude()); the
        # subquery is then a lookup by id, which needs no join.
        if alias is None or related_alias is None:
            return None
        return WhereNode([Exact(remote.get_col(alias), local.get_col(related_alias))])  # type: ignore[list-item]

    return get_extra_restriction


def _government_of(value: Any) -> int | None:
    return getattr(value, "government_id", None) if isinstance(value, Model) else None


class _WithGovernment:
    """`fk=instance` (and `fk__in=instances` of one government) also compares the row's
    government with the instance's, so that the query names its shard."""

    government_id: int | None

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        sql, params = super().as_sql(compiler, connection)  # type: ignore[misc]
        lhs = self.lhs  # type: ignore[attr-defined]
        if self.government_id is None or not isinstance(lhs, Col):
            return sql, params
        column = Col(lhs.alias, lhs.target.model._meta.get_field("government"))  # type: ignore[arg-type]
        government_sql, _ = compiler.compile(column)
        return f"({sql} AND {government_sql} = %s)", (*params, self.government_id)


class SameGovernmentExact(_WithGovernment, RelatedExact):
    def __init__(self, lhs: Any, rhs: Any) -> None:
        self.government_id = _government_of(rhs)
        super().__init__(lhs, rhs)


class SameGovernmentIn(_WithGovernment, RelatedIn):
    def __init__(self, lhs: Any, rhs: Any) -> None:
        governments = (
            {_government_of(v) for v in rhs} if isinstance(rhs, list | tuple | set) else {None}
        )
        self.government_id = governments.pop() if len(governments) == 1 else None
        super().__init__(lhs, rhs)


def _descriptor_filter(instance: Model) -> dict[str, Any]:
    government_id = getattr(instance, "government_id", None)
    # A row not yet given its government (a child before save) reads its parent by id.
    return {} if government_id is None else {"government_id": government_id}


def colocate_joins() -> int:
    """Queries between tenant tables name the government wherever Django knows it:

    - every join between two tenant tables also joins on it: `JOIN objective ON
      indicator.objective_id = objective.id AND objective.government_id =
      indicator.government_id`;
    - `indicator.objective` reads `WHERE id = … AND government_id = …`;
    - `filter(indicator=indicator)`, a related manager (`objective.indicators`) and a prefetch
      of instances of one government add `AND government_id = …`; so do a user's and a
      person's (reference tables with the key): `user.roles` reads one government's rows.

    A query whose tables are all compared with one government is answered by that
    government's shard alone on Citus; a join on ids alone needs rows moved between nodes,
    which Citus refuses. The same SQL runs on every database (decision 0018). Called once,
    from the core app's `ready()`; returns how many relations."""
    kinds = tables()
    count = 0
    _pin_deletes()
    for model in apps.get_models(include_auto_created=True):
        if kinds[model._meta.db_table] != "distributed":
            continue
        if "_do_update" not in model.__dict__:
            # `save()` of a row it read: `UPDATE … WHERE id = … AND government_id = …`.
            setattr(model, "_do_update", _update_in_government)  # noqa: B010
        for relation in model._meta.concrete_fields:
            if not (relation.many_to_one or relation.one_to_one) or relation.name == "government":
                continue
            target = relation.related_model
            assert target is not None and not isinstance(target, str)
            if kinds.get(target._meta.db_table) == "distributed":
                setattr(relation, "get_extra_restriction", _same_government(relation))  # noqa: B010
                setattr(relation, "get_extra_descriptor_filter", _descriptor_filter)  # noqa: B010
            elif not any(f.name == "government" for f in target._meta.concrete_fields):
                continue
            # A user's or a person's rows (roles, signature slots, SKPs) are of their
            # government: `user.roles` reads that government's shard.
            relation.register_lookup(SameGovernmentExact, "exact")
            relation.register_lookup(SameGovernmentIn, "in")
            count += 1
        for link in model._meta.local_many_to_many:
            # A form's initial choices (`programme.objectives`) read the object's government.
            setattr(link, "value_from_object", _linked_in_government(link.attname))  # noqa: B010
    return count


def _update_in_government(self: Model, base_qs: Any, *args: Any) -> Any:
    """Django's `Model._do_update` with the row's government in the WHERE: without it a
    `save(update_fields=…)` reads every shard (the primary key is `(government_id, id)`)."""
    government_id = getattr(self, DISTRIBUTION_COLUMN, None)
    if government_id is not None:
        base_qs = base_qs.filter(**{DISTRIBUTION_COLUMN: government_id})
    update: Any = Model._do_update
    return update(self, base_qs, *args)


# The governments of the rows a deletion removes, per model, while `Collector.delete()` runs.
_deleting: ContextVar[dict[type[Model], list[int]] | None] = ContextVar("deleting", default=None)


def _pin_deletes() -> None:
    """`instance.delete()` and `queryset.delete()` end in `DELETE … WHERE id IN (…)`, which
    Citus sends to every shard. Django's collector holds the rows themselves: their
    governments go in the WHERE too (`AND government_id IN (…)`), one shard for one
    government's rows. Installed once."""
    from django.db.models.deletion import Collector
    from django.db.models.sql.subqueries import DeleteQuery

    if getattr(Collector.delete, "_pinned", False):
        return
    collector_delete = Collector.delete
    do_query = DeleteQuery.do_query

    def delete(self: Collector) -> Any:
        governments = {
            model: sorted({getattr(row, DISTRIBUTION_COLUMN) for row in rows})
            for model, rows in self.data.items()
            if kind_of(model._meta.db_table) == "distributed" and rows
        }
        token = _deleting.set(governments)
        try:
            return collector_delete(self)
        finally:
            _deleting.reset(token)

    def pinned_do_query(self: DeleteQuery, table: str, where: Any, using: str) -> Any:
        governments = (_deleting.get() or {}).get(self.model) if self.model else None
        if governments and None not in governments:
            self.where = where
            self.add_q(Q(**{f"{DISTRIBUTION_COLUMN}__in": governments}))
            where = self.where
        return do_query(self, table, where, using)

    delete._pinned = True  # type: ignore[attr-defined]
    Collector.delete = delete  # type: ignore[method-assign]
    DeleteQuery.do_query = pinned_do_query  # type: ignore[method-assign]


def _linked_in_government(name: str) -> Callable[[Model], list[Model]]:
    def value_from_object(obj: Model) -> list[Model]:
        if obj.pk is None:
            return []
        return list(getattr(obj, name).filter(government_id=obj.government_id))  # type: ignore[attr-defined]

    return value_from_object


@functools.cache
def kind_of(table: str) -> str | None:
    """A table's kind (see `tables`), computed once per process."""
    return tables().get(table)


@dataclass(frozen=True)
class ForeignKey:
    name: str
    table: str
    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]
    on_delete: str
    deferrable: bool
    deferred: bool

    def sql(self) -> str:
        cols = ", ".join(_q(c) for c in self.columns)
        refs = ", ".join(_q(c) for c in self.target_columns)
        action = {"a": "", "r": " ON DELETE RESTRICT", "c": " ON DELETE CASCADE"}.get(
            self.on_delete, ""
        )
        timing = ""
        if self.deferrable:
            timing = " DEFERRABLE INITIALLY " + ("DEFERRED" if self.deferred else "IMMEDIATE")
        return (
            f"ALTER TABLE {_q(self.table)} ADD CONSTRAINT {_q(self.name)} FOREIGN KEY ({cols}) "
            f"REFERENCES {_q(self.target)} ({refs}){action}{timing}"
        )


@dataclass
class Report:
    """What a run found and did; `changes` is empty when the database was already there."""

    workers: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    placement: dict[str, str] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    def count(self, kind: str, placement: str | None = None) -> int:
        return sum(
            1
            for table, k in self.kinds.items()
            if k == kind and (placement is None or self.placement.get(table) == placement)
        )

    @property
    def local_tenant_tables(self) -> list[str]:
        return sorted(
            t for t, k in self.kinds.items() if k == "distributed" and self.placement[t] != k
        )

    def lines(self) -> list[str]:
        out = [
            f"workers: {', '.join(self.workers) or 'none'}",
            f"tenant tables distributed by {DISTRIBUTION_COLUMN}: "
            f"{self.count('distributed', 'distributed')} of {self.count('distributed')} "
            f"(local tenant tables: {len(self.local_tenant_tables)})",
            f"reference tables: {self.count('reference', 'reference')} of "
            f"{self.count('reference')}",
            f"coordinator tables: {self.count('local')}",
        ]
        if self.left_out:
            out.append(
                "foreign keys Citus cannot hold (kept by the application): "
                + ", ".join(self.left_out)
            )
        if self.changes:
            out.append(f"changes: {len(self.changes)}")
            out.extend(f"  {c}" for c in self.changes)
        else:
            out.append("changes: none (already distributed)")
        return out


def shards_read(connection: BaseDatabaseWrapper, sql: str) -> int:
    """How many shards Citus reads for a statement: the largest task count in its plan
    (EXPLAIN; 1 for a statement on reference or coordinator tables only)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        row = cursor.fetchone()
    found: list[int] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "Task Count" in node:
                found.append(int(node["Task Count"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(row[0] if row else None)
    return max(found, default=1)


def wide_statements(connection: BaseDatabaseWrapper, captured: list[dict[str, Any]]) -> dict:
    """Of the statements Django captured (CaptureQueriesContext), how many were read, the
    most shards one read, and the start of each that read more than one."""
    statements = [
        q["sql"]
        for q in captured
        if q["sql"].lstrip().split(" ", 1)[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE"}
    ]
    counts = [shards_read(connection, sql) for sql in statements]
    return {
        "statements": len(statements),
        "max_tasks": max(counts, default=0),
        "wide": [sql[:200] for sql, n in zip(statements, counts, strict=True) if n > 1],
    }


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def is_citus(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        return cursor.fetchone() is not None


def _placement(cursor: Any, names: Iterable[str]) -> dict[str, str]:
    cursor.execute(
        "SELECT logicalrelid::regclass::text, partmethod, repmodel FROM pg_dist_partition"
    )
    found = {}
    for table, method, model in cursor.fetchall():
        table = table.strip('"')
        if method == "h":
            found[table] = "distributed"
        elif model == "t":
            found[table] = "reference"
        else:
            found[table] = "local"  # a coordinator table Citus keeps in its metadata
    return {name: found.get(name, "local") for name in names}


def _foreign_keys(cursor: Any, names: set[str]) -> list[ForeignKey]:
    cursor.execute(
        """
        SELECT c.conname, src.relname, dst.relname,
               ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                     ORDER BY k.i),
               ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n
                     ORDER BY k.i),
               c.confdeltype, c.condeferrable, c.condeferred
        FROM pg_constraint c
        JOIN pg_class src ON src.oid = c.conrelid
        JOIN pg_class dst ON dst.oid = c.confrelid
        JOIN pg_namespace ns ON ns.oid = src.relnamespace
        WHERE c.contype = 'f' AND ns.nspname = current_schema()
        ORDER BY src.relname, c.conname
        """
    )
    return [
        ForeignKey(r[0], r[1], tuple(r[3]), r[2], tuple(r[4]), r[5], r[6], r[7])
        for r in cursor.fetchall()
        if r[1] in names and r[2] in names
    ]


def _target(fk: ForeignKey, kinds: dict[str, str]) -> ForeignKey | None:
    """The foreign key as it must be on Citus, or None where Citus cannot hold it."""
    src, dst = kinds[fk.table], kinds[fk.target]
    if dst == "distributed":
        if src != "distributed":
            return None
        if fk.columns[0] == DISTRIBUTION_COLUMN:
            return fk
        return ForeignKey(
            fk.name,
            fk.table,
            (DISTRIBUTION_COLUMN, *fk.columns),
            fk.target,
            (DISTRIBUTION_COLUMN, *fk.target_columns),
            fk.on_delete,
            fk.deferrable,
            fk.deferred,
        )
    if dst == "local" and src != "local":
        return None
    return fk


def _keys_without_government(cursor: Any, table: str) -> list[tuple[str, str, str]]:
    """(kind, name, definition) of the table's primary key, unique constraints and unique
    indexes that do not include the distribution column."""
    cursor.execute(
        """
        SELECT CASE WHEN con.contype = 'p' THEN 'primary'
                    WHEN con.contype = 'u' THEN 'unique' ELSE 'index' END,
               COALESCE(con.conname, idx.relname),
               CASE WHEN con.oid IS NULL THEN pg_get_indexdef(i.indexrelid)
                    ELSE pg_get_constraintdef(con.oid) END
        FROM pg_index i
        JOIN pg_class idx ON idx.oid = i.indexrelid
        LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u')
        WHERE i.indrelid = %s::regclass AND i.indisunique
          AND NOT EXISTS (
            SELECT 1 FROM pg_attribute a
            WHERE a.attrelid = i.indrelid AND a.attname = %s AND a.attnum = ANY(i.indkey))
        ORDER BY 1, 2
        """,
        [_q(table), DISTRIBUTION_COLUMN],
    )
    return [tuple(r) for r in cursor.fetchall()]


def _with_government(kind: str, name: str, definition: str, table: str) -> list[str]:
    if kind == "index":
        # CREATE UNIQUE INDEX name ON public.t USING btree (a, b) WHERE ...
        rebuilt = re.sub(
            r"USING (\w+) \(", rf"USING \1 ({DISTRIBUTION_COLUMN}, ", definition, count=1
        )
        return [f"DROP INDEX {_q(name)}", rebuilt]
    # PRIMARY KEY (id) / UNIQUE (a, b)
    rebuilt = re.sub(r"\(", f"({DISTRIBUTION_COLUMN}, ", definition, count=1)
    statements = [
        f"ALTER TABLE {_q(table)} DROP CONSTRAINT {_q(name)}, ADD CONSTRAINT {_q(name)} {rebuilt}"
    ]
    columns = definition[definition.index("(") :]
    if kind == "unique" and "," not in columns:
        # A single value unique in the whole country (a document's public code, a file's
        # SHA-256, a token's hash) may still be looked up without its government (the public
        # verification, an old token): each shard keeps an index on it alone for that.
        index = _q(name[:59] + "_any")
        statements.append(f"CREATE INDEX IF NOT EXISTS {index} ON {_q(table)} {columns}")
    return statements


def distribute(
    connection: BaseDatabaseWrapper,
    *,
    dry_run: bool = False,
    shards: int | None = None,
    say: Callable[[str], None] = lambda line: None,
) -> Report:
    """Bring the database to the national layout; see the module's docstring. `shards`: the
    number of shards of a new co-location group (Citus's `citus.shard_count`, 32 unless
    set)."""
    report = Report(kinds=tables())
    kinds = report.kinds
    names = set(kinds)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nodename || ':' || nodeport FROM pg_dist_node "
            "WHERE groupid <> 0 AND noderole = 'primary' AND isactive ORDER BY nodeid"
        )
        report.workers = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        )
        existing = {r[0] for r in cursor.fetchall()}
        missing = sorted(names - existing)
        if missing:
            raise ValueError("not migrated: " + ", ".join(missing))
        placement = _placement(cursor, names)
        foreign_keys = _foreign_keys(cursor, names)

        def run(description: str, statements: list[str]) -> None:
            report.changes.append(description)
            say(description)
            if not dry_run:
                for statement in statements:
                    cursor.execute(statement)

        unplaced = {t for t in names if placement[t] != kinds[t]}
        wanted = {}
        for fk in foreign_keys:
            target = _target(fk, kinds)
            if target is None:
                report.left_out.append(f"{fk.table}.{','.join(fk.columns)}")
            else:
                wanted[(fk.table, fk.name)] = target
        # 1. Foreign keys off every table still to be placed, and off any not in their form.
        dropped = []
        for fk in foreign_keys:
            if (
                fk.table in unplaced
                or fk.target in unplaced
                or wanted.get((fk.table, fk.name)) != fk
            ):
                run(
                    f"drop foreign key {fk.name} ({fk.table})",
                    [f"ALTER TABLE {_q(fk.table)} DROP CONSTRAINT {_q(fk.name)}"],
                )
                dropped.append((fk.table, fk.name))
        # 2. Keys with the government, on tenant tables still to be distributed.
        for table in sorted(t for t in unplaced if kinds[t] == "distributed"):
            for kind, name, definition in _keys_without_government(cursor, table):
                run(
                    f"{kind} key {name} ({table}) with {DISTRIBUTION_COLUMN}",
                    _with_government(kind, name, definition, table),
                )
        # 3. Reference tables, then tenant tables co-located with the first distributed one.
        for table in sorted(t for t in unplaced if kinds[t] == "reference"):
            run(f"reference table {table}", [f"SELECT create_reference_table('{_q(table)}')"])
            placement[table] = "reference"
        # Citus's own DDL and copying run in the coordinator's process where it can; the
        # application's connections have that off (settings), this command turns it back on.
        cursor.execute("SET citus.enable_local_execution TO on")
        if shards is not None and not dry_run:
            # The shards of the co-location group, fixed when its first table is distributed.
            cursor.execute(f"SET citus.shard_count = {int(shards)}")
        anchor = next(
            (t for t in sorted(names) if placement[t] == "distributed"),
            None,
        )
        for table in sorted(t for t in unplaced if kinds[t] == "distributed"):
            colocate = f"'{_q(anchor)}'" if anchor else "'none'"
            run(
                f"distributed table {table} by {DISTRIBUTION_COLUMN}",
                [
                    f"SELECT create_distributed_table('{_q(table)}', '{DISTRIBUTION_COLUMN}', "
                    f"colocate_with => {colocate})"
                ],
            )
            placement[table] = "distributed"
            anchor = anchor or table
        # 4. Foreign keys again, in their Citus form.
        present = {(fk.table, fk.name) for fk in foreign_keys} - set(dropped)
        for key, fk in sorted(wanted.items()):
            if key not in present:
                run(f"foreign key {fk.name} ({fk.table} → {fk.target})", [fk.sql()])
        if dry_run:
            for table in unplaced:
                placement[table] = kinds[table]
        report.placement = _placement(cursor, names) if not dry_run else placement
        cursor.execute("RESET citus.enable_local_execution")
    return report
