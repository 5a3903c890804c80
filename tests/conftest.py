import pytest

from tests.builders import build_catalog_tree


@pytest.fixture
def tree(db):
    """Home page with the four section index pages under it."""
    return build_catalog_tree()
