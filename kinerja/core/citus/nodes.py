"""A database on every node of a Citus cluster: made on the coordinator and each worker, the
extension in each, the workers registered in it. The workers are those registered in the
coordinator's `postgres` database, where a cluster is set up (docs/scaling.md). Used for the
test databases (creation.py) and by `make bench`'s citus scale; plain psycopg, no Django."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql


def _connect(host: str, port: int, dbname: str, user: str | None, password: str | None) -> Any:
    return psycopg.connect(
        host=host, port=port, dbname=dbname, user=user, password=password, autocommit=True
    )


def workers(host: str, port: int, user: str | None = None, password: str | None = None) -> list:
    """The coordinator (group 0) and the workers registered in its `postgres` database."""
    with _connect(host, port, "postgres", user, password) as conn:
        return conn.execute(
            "SELECT groupid, nodename, nodeport FROM pg_dist_node "
            "WHERE noderole = 'primary' AND isactive ORDER BY groupid, nodeid"
        ).fetchall()


def create(
    name: str,
    *,
    host: str,
    port: int,
    user: str | None = None,
    password: str | None = None,
    replace: bool = False,
) -> None:
    """Make `name` on every node (dropped first when `replace`), with the extension, and
    register the coordinator and the workers in it. Nothing is changed that is already so."""
    nodes = workers(host, port, user, password)
    coordinator: tuple[str, int] = next(((h, p) for g, h, p in nodes if g == 0), (host, port))
    everyone: list[tuple[str, int]] = [coordinator, *((h, p) for g, h, p in nodes if g != 0)]
    if replace:
        drop(name, host=host, port=port, user=user, password=password)
    for node_host, node_port in everyone:
        with _connect(node_host, node_port, "postgres", user, password) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not found.fetchone():
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        with _connect(node_host, node_port, name, user, password) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS citus")
    with _connect(coordinator[0], coordinator[1], name, user, password) as conn:
        conn.execute("SELECT citus_set_coordinator_host(%s, %s)", coordinator)
        known = set(conn.execute("SELECT nodename, nodeport FROM pg_dist_node").fetchall())
        for worker in everyone[1:]:
            if worker not in known:
                conn.execute("SELECT citus_add_node(%s, %s)", worker)


def drop(
    name: str, *, host: str, port: int, user: str | None = None, password: str | None = None
) -> None:
    """Drop `name` on every node. WITH (FORCE): the nodes keep connections to one another."""
    nodes = workers(host, port, user, password)
    for _, node_host, node_port in sorted(nodes, reverse=True):  # workers first
        with _connect(node_host, node_port, "postgres", user, password) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
