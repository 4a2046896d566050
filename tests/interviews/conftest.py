import pytest

from tests.factories import EditorFactory
from tests.helpers.photos import png_upload
from tests.helpers.sessions import force_login_with_second_factor


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def editor_client(client, editor):
    force_login_with_second_factor(client, editor)
    return client


@pytest.fixture
def portrait_upload():
    return png_upload()


@pytest.fixture
def visitor():
    """An anonymous browser of its own (``client`` is the editor's when ``editor_client`` is used)."""
    from django.test import Client

    return Client()
