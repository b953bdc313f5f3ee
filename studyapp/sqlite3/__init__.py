"""The SQLite database backend (DATABASES ENGINE "studyapp.sqlite3"): Django's, with each statement's
placeholders converted once per process (base.py)."""
