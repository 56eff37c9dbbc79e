"""
How the rating and review pages show what was refused: every error, of a form or of the
workflow, as an error message on the page the person is sent back to (the autosave
answers the same words as JSON).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError

from ..rating_forms import VersionForm


def refused(problem: ValidationError | VersionForm) -> list[str]:
    """The words of a refusal: the form's errors, or the workflow's."""
    if isinstance(problem, VersionForm):
        return problem.error_messages()
    return problem.messages


def show_refusal(request, problem: ValidationError | VersionForm) -> None:
    for message in refused(problem):
        messages.error(request, message)
