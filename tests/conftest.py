import pytest
from django.conf import settings
from django.core.management import call_command

from studyapp.documents.models import DocumentVersion


@pytest.fixture
def seed_markdown() -> bytes:
    return settings.SOURCE_DOCUMENT.read_bytes()


@pytest.fixture
def seed_version(db) -> DocumentVersion:
    """The published document, loaded from fixtures/document.json as the run command does."""
    call_command("loaddata", "document", verbosity=0)
    return DocumentVersion.objects.get(is_active=True)
