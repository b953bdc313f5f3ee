from studyapp.documents.models import DocumentVersion


def regenerate_bank_on_activation(sender, *, version: DocumentVersion, **kwargs) -> None:
    # Runs inside the import transaction: if generation fails, the activation is rolled back too.
    # Imported here so that loading the app does not load the segmenter.
    from .bank import bank_sync

    bank_sync(version=version)
