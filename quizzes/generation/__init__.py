"""Deterministic question generation from the parsed study document; pure functions, no database."""

from .bank import generate_bank
from .questions import Blank, GeneratedQuestion
from .source import SourceLine, source_lines

__all__ = ["Blank", "GeneratedQuestion", "SourceLine", "generate_bank", "source_lines"]
