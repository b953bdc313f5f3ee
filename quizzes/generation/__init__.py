"""Deterministic question generation from the parsed study document; pure functions, no database."""

from .generate import generate_questions
from .questions import Blank, GeneratedQuestion
from .source import SourceLine, source_lines

__all__ = ["Blank", "GeneratedQuestion", "SourceLine", "generate_questions", "source_lines"]
