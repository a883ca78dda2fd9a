"""Django's PostgreSQL backend for a Citus coordinator (`DATABASE_URL=citus://…`): the same
backend, plus a test database made on every node and distributed (decision 0018)."""
