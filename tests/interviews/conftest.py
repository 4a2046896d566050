import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import EditorFactory


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def png_upload(size=(900, 700), name="portratt.png") -> SimpleUploadedFile:
    image = Image.new("RGB", size, (120, 40, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def portrait_upload():
    return png_upload()


@pytest.fixture
def visitor():
    """An anonymous browser of its own (``client`` is the editor's when ``editor_client`` is used)."""
    from django.test import Client

    return Client()
