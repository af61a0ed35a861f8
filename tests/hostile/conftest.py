from tests.unit.harmonise.conftest import delivery  # noqa: F401 - the hand-written delivery fixture
