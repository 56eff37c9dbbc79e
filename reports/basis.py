"""
Which ratings a team or district figure counts: the *basis* of a report.

``reviewed`` (the default) takes the reviewer's level once the assessment is official
(finalized or acknowledged) and the person's own level otherwise; ``self`` and ``reviewer``
take one side only. Every table, chart and export names the basis it was built on.
"""

from django.db import models


class Basis(models.TextChoices):
    REVIEWED = "reviewed", "Reviewed where available"
    SELF = "self", "Self-ratings"
    REVIEWER = "reviewer", "Reviewer's ratings"


DEFAULT = Basis.REVIEWED


def basis_from(value: str | None) -> Basis:
    """The basis a query string asks for (``?basis=``); the default for anything else."""
    try:
        return Basis(value)
    except ValueError:
        return DEFAULT


def level_for(
    basis: Basis, *, self_level: int | None, reviewer_level: int | None, official: bool
) -> int | None:
    """The level one rating contributes to a figure on ``basis``."""
    if basis == Basis.SELF:
        return self_level
    if basis == Basis.REVIEWER:
        return reviewer_level
    return reviewer_level if official and reviewer_level is not None else self_level
