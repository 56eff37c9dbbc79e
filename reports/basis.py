"""
Which ratings a team or district figure counts: the *basis* of a report.

``reviewed`` (the default) takes the reviewer's level once the assessment is official
(finalized or acknowledged) and the person's own level otherwise; ``self`` and ``reviewer``
take one side only. Every table, chart and export names the basis it was built on.

Which assessments count depends on the basis too: a self-rating counts once it is handed
in (submitted, finalized or acknowledged), a reviewer's level only once the review is
final (finalized or acknowledged): until then it is the reviewer's work in progress, as a
draft is the person's. So on the ``reviewer`` basis a submitted assessment waits.
"""

from django.db import models

from assessments.models import Assessment


class Basis(models.TextChoices):
    REVIEWED = "reviewed", "Reviewed where available"
    SELF = "self", "Self-ratings"
    REVIEWER = "reviewer", "Reviewer's ratings"


DEFAULT = Basis.REVIEWED

# What each basis counts, in a sentence for the pages and PDFs beside the figures.
DESCRIPTIONS = {
    Basis.REVIEWED: (
        "the reviewer's level once an assessment is finalized or acknowledged, "
        "the person's own level while it is submitted and not yet final"
    ),
    Basis.SELF: "each person's own level (self-rating); reviewer ratings are not mixed in",
    Basis.REVIEWER: (
        "the reviewer's level only; an assessment counts once its review is final "
        "(finalized or acknowledged)"
    ),
}


def basis_from(value: str | None) -> Basis:
    """The basis a query string asks for (``?basis=``); the default for anything else."""
    try:
        return Basis(value)
    except ValueError:
        return DEFAULT


def counted_statuses(basis: Basis) -> tuple[str, ...]:
    """The statuses of the assessments whose ratings count on ``basis``."""
    return Assessment.OFFICIAL if basis == Basis.REVIEWER else Assessment.HANDED_IN


def counted_words(basis: Basis) -> str:
    """``counted_statuses`` in words, for the pages."""
    if basis == Basis.REVIEWER:
        return "finalized or acknowledged"
    return "submitted, finalized or acknowledged"


class CountedOn:
    """
    For a report whose figures count the ratings of ``self.basis``: the words its pages
    show about that basis, worked out from it rather than stored beside it.
    """

    basis: Basis

    @property
    def basis_description(self) -> str:
        return DESCRIPTIONS[self.basis]

    @property
    def counted_words(self) -> str:
        return counted_words(self.basis)


def level_for(
    basis: Basis, *, self_level: int | None, reviewer_level: int | None, official: bool
) -> int | None:
    """The level one rating contributes to a figure on ``basis``."""
    if basis == Basis.SELF:
        return self_level
    if basis == Basis.REVIEWER:
        return reviewer_level
    return reviewer_level if official and reviewer_level is not None else self_level
