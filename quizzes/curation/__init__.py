"""Curation of the question bank: hand-written and imported questions, item statistics, edits."""
