from django import template

from quizzes.progress import Mastery

register = template.Library()


@register.filter
def mastery_of(mastery: dict[int, Mastery] | None, node_id: int) -> Mastery | None:
    """The mastery of heading `node_id` from a dict built by progress.heading_mastery()."""
    return mastery.get(node_id) if mastery else None
