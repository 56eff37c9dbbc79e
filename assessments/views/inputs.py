"""Reading the hand-built rating and review forms' fields."""

from django.core.exceptions import ValidationError

from ..workflow import RatingChange


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        raise ValidationError(f"{value[:20]!r} is not a level.") from None


def version_of(post) -> int:
    version = int_or_none(post.get("version"))
    if version is None:
        raise ValidationError("The form was incomplete; reload the page.")
    return version


def changes_from(post, competency_ids, *, prefix: str = "") -> list[RatingChange]:
    """
    The changes a form sends for the given competencies: ``<prefix>level-<id>`` radios
    and ``<prefix>note-<id>`` boxes. Fields of other competencies are ignored.
    """
    changes = []
    for competency_id in competency_ids:
        level = int_or_none(post.get(f"{prefix}level-{competency_id}"))
        note = post.get(f"{prefix}note-{competency_id}")
        if level is not None or note is not None:
            changes.append(RatingChange(competency_id, level=level, note=note))
    return changes
