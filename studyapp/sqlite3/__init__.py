"""The SQLite database backend (DATABASES ENGINE "studyapp.sqlite3"): Django's, with writers queued on
a lock file and each statement's placeholders converted once per process (base.py)."""
