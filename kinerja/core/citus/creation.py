"""Test databases on a Citus cluster: the database on every node (nodes.py), migrated, then
distributed by `manage.py distribute` (kinerja/core/distribution.py)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.db.backends.postgresql import creation

from kinerja.core.citus import nodes


class DatabaseCreation(creation.DatabaseCreation):
    def _where(self) -> dict[str, Any]:
        settings = self.connection.settings_dict
        return {
            "host": settings.get("HOST") or "127.0.0.1",
            "port": int(settings.get("PORT") or 5432),
            "user": settings.get("USER") or None,
            "password": settings.get("PASSWORD") or None,
        }

    def _create_test_db(self, verbosity: int, autoclobber: bool, keepdb: bool = False) -> str:
        if not keepdb:
            nodes.drop(self._get_test_db_name(), **self._where())  # type: ignore[attr-defined]
        return super()._create_test_db(verbosity, autoclobber, keepdb)  # type: ignore[misc]

    def _execute_create_test_db(
        self, cursor: Any, parameters: dict[str, Any], keepdb: bool = False
    ) -> None:
        # Django asks for the database on the coordinator; it is made on every node instead
        # (nothing is changed where it is already there: --reuse-db keeps it).
        nodes.create(parameters["dbname"].strip('"'), **self._where())

    def create_test_db(self, *args: Any, **kwargs: Any) -> str:
        name = super().create_test_db(*args, **kwargs)
        # Few shards: a test database is small, and emptying it between tests (TRUNCATE) and
        # its DDL touch every shard.
        call_command("distribute", database=self.connection.alias, shards=4, verbosity=0)
        return name

    def _destroy_test_db(self, test_database_name: str, verbosity: int) -> None:
        nodes.drop(test_database_name, **self._where())
