from django import template

from studyapp.documents.signals import HeadingProgress

register = template.Library()


@register.filter
def progress_of(progress: dict[int, HeadingProgress] | None, node_id: int) -> HeadingProgress | None:
    """The learner's progress under heading `node_id`, from the reader's `mastery` dict."""
    return progress.get(node_id) if progress else None
