from django.dispatch import Signal

# Sent inside the import transaction when a version becomes the active one, with
# `version` (the new DocumentVersion) and `previous` (the one it replaces, or None).
# Receivers that fail roll the whole import back.
version_activated = Signal()
