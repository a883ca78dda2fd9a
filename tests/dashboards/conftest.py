# The dashboard, the portal and the to-do list read what the other apps hold: their fixtures.
from tests.agreements.conftest import region  # noqa: F401
from tests.evaluation.conftest import scored_2019  # noqa: F401
