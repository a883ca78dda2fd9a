from tests.agreements.conftest import region  # noqa: F401 - a fixture for the tests here
