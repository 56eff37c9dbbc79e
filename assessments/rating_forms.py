"""
The forms of the rating form and the review: a step's levels and notes, one autosaved
change, the review and the step after it. Levels are checked against the framework's
scale and competencies against the page's; every form carries the assessment's version,
which the workflow compares with the stored one (a stale version is refused there).

A field that is not sent leaves that part of the rating as it is; the autosave's empty
``level`` clears the level.
"""

from django import forms

from .models import Rating
from .workflow import CLEAR, REVIEW_STEPS, RatingChange

INCOMPLETE = "The form was incomplete; reload the page."
NOT_A_LEVEL = "A level that is not on this framework's scale was sent."
NOT_HERE = "A competency that is not part of this assessment was sent."


class VersionForm(forms.Form):
    """The assessment's version, as the page that sent the form showed it."""

    version = forms.IntegerField(
        min_value=0,
        error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE, "min_value": INCOMPLETE},
    )


def _level(scale: list[int], *, empty_value=None) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=[("", "—"), *[(value, value) for value in scale]],
        coerce=int,
        required=False,
        empty_value=empty_value,
        error_messages={"invalid_choice": NOT_A_LEVEL},
    )


def _note(max_length: int = Rating.NOTE_MAX, what: str = "An evidence note") -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=max_length,
        strip=False,  # the workflow strips what it stores
        error_messages={"max_length": f"{what} is longer than {max_length} characters."},
    )


class RatingStepForm(VersionForm):
    """
    A whole step without script: a level (radios) and a note per competency of the
    step, named ``<prefix>level-<id>`` and ``<prefix>note-<id>``; fields of other
    competencies are not read.
    """

    names_prefix = ""
    # The "Save and continue" button: go on to the next step once saved.
    next = forms.BooleanField(required=False)

    def __init__(self, data, *, competency_ids: list[int], scale: list[int]):
        super().__init__(data)
        self.competency_ids = competency_ids
        for pk in competency_ids:
            self.fields[f"{self.names_prefix}level-{pk}"] = _level(scale)
            self.fields[f"{self.names_prefix}note-{pk}"] = _note()

    def changes(self) -> list[RatingChange]:
        """The changes sent: competencies with a level chosen or a note box sent."""
        changes = []
        for pk in self.competency_ids:
            level = self.cleaned_data[f"{self.names_prefix}level-{pk}"]
            note_name = f"{self.names_prefix}note-{pk}"
            note = self.cleaned_data[note_name] if note_name in self.data else None
            if level is not None or note is not None:
                changes.append(RatingChange(pk, level=level, note=note))
        return changes


class ReviewForm(RatingStepForm):
    """
    The reviewer's levels and notes, the overall comment, and the step after saving:
    the ``agree`` button names a domain; otherwise ``action`` says save, finalize or
    return (with ``message``).
    """

    names_prefix = "reviewer-"

    comment = _note(4000, "The overall comment")
    action = forms.ChoiceField(
        choices=[(step, step) for step in REVIEW_STEPS if step != "agree"],
        required=False,
        error_messages={"invalid_choice": "Choose what to do with the review."},
    )
    agree = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose a domain of this framework."}
    )
    message = forms.CharField(required=False, strip=False)

    def __init__(self, data, *, domain_codes: list[str], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["agree"].choices = [("", "—"), *[(code, code) for code in domain_codes]]

    @property
    def step(self) -> str:
        return "agree" if self.cleaned_data["agree"] else self.cleaned_data["action"] or "save"

    @property
    def comment_sent(self) -> str | None:
        """The overall comment, or None when the form had no comment box."""
        return self.cleaned_data["comment"] if "comment" in self.data else None


class AutosaveForm(VersionForm):
    """One change as it happens: a competency, and its level (empty: cleared) or note."""

    competency = forms.TypedChoiceField(
        coerce=int, error_messages={"required": NOT_HERE, "invalid_choice": NOT_HERE}
    )
    note = _note()

    def __init__(self, data, *, competency_ids: list[int], scale: list[int]):
        super().__init__(data)
        self.fields["competency"].choices = [(pk, pk) for pk in competency_ids]
        self.fields["level"] = _level(scale, empty_value=CLEAR)

    def change(self) -> RatingChange:
        sent = {name: self.cleaned_data[name] for name in ("level", "note") if name in self.data}
        return RatingChange(self.cleaned_data["competency"], **sent)
