from studyapp.documents.models import DocumentVersion


def regenerate_bank_on_activation(sender, *, version: DocumentVersion, **kwargs) -> dict[str, int]:
    # Runs inside the import transaction: if generation fails, the activation is rolled back too.
    # Imported here so that loading the app does not load the segmenter.
    from .bank import bank_sync

    change = bank_sync(version=version)
    return {"questions_created": change.created, "questions_kept": change.kept, "questions_retired": change.retired}
