# The dashboard and the portal show what evaluation scored: the same fixture.
from tests.evaluation.conftest import scored_2019  # noqa: F401
