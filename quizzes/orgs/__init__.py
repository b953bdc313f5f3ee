"""Organisation managers' pages: the roll-up report of an organisation's subtree, its people and their
participation, kept fast by the per-person, per-day aggregates of models.py."""
