"""The PostgreSQL backend for a Citus coordinator. Everything is Django's but three things:

- the test database is made on every node and distributed (creation.py);
- GROUP BY names every selected column: a distributed table's primary key is
  `(government_id, id)`, and PostgreSQL lets a query grouped by `id` alone select the other
  columns only when `id` is the whole primary key;
- an UPDATE that writes a row's government also names it in its WHERE (compiler.py)."""

from __future__ import annotations

from django.db.backends.postgresql import base, features, operations

from kinerja.core.citus.creation import DatabaseCreation


class DatabaseFeatures(features.DatabaseFeatures):
    allows_group_by_selected_pks = False


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "kinerja.core.citus.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
