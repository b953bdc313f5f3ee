"""fixtures/document.json is generated from the Markdown by the importer; these must never drift."""

import pytest
from django.core.management import call_command

from studyapp.documents.models import DocumentVersion
from studyapp.documents.services import document_import

pytestmark = pytest.mark.django_db

FIELDS = ("kind", "number", "text", "depth", "position", "line", "key", "text_key", "parent__key")


def tree(version: DocumentVersion) -> list[tuple]:
    return list(version.nodes.order_by("position").values_list(*FIELDS))


def test_loading_the_fixture_and_importing_the_markdown_give_the_same_tree(seed_markdown):
    call_command("loaddata", "document", verbosity=0)
    loaded = DocumentVersion.objects.get(is_active=True)
    loaded_tree, loaded_title, loaded_sha = tree(loaded), loaded.title, loaded.source_sha256
    DocumentVersion.objects.all().delete()

    imported = document_import(source=seed_markdown, source_name="acftu-18th-congress.md").version

    assert tree(imported) == loaded_tree
    assert (imported.title, imported.source_sha256) == (loaded_title, loaded_sha)
    assert len(loaded_tree) == 156


def test_the_fixture_holds_the_projects_copy_of_the_source(seed_version, seed_markdown):
    assert seed_version.source_text == seed_markdown.decode("utf-8")
