"""The PostgreSQL database backend (DATABASES ENGINE "studyapp.postgresql"): Django's, with the
kept connection's health checked only after it sat idle (base.py)."""
