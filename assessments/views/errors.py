"""
How a view shows what was refused (a service's ``ValidationError``, or an invalid form),
one way throughout:

- on a page with a form, on the form: ``form.add_error(None, error)`` puts each message by
  the field the service names, else above the form;
- after a button, or a step of the rating and review pages, as error messages on the page
  the person is sent to: ``show_errors``; the autosave answers the same words
  (``refused``) as JSON.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError


def refused(problem: ValidationError | forms.BaseForm) -> list[str]:
    """The words of a refusal, each once: an invalid form's errors, or a service's."""
    if isinstance(problem, forms.BaseForm):
        problem = ValidationError(problem.errors.as_data())
    return list(dict.fromkeys(problem.messages))


def show_errors(request, problem: ValidationError | forms.BaseForm) -> None:
    """One error message per reason, shown on the next page."""
    for message in refused(problem):
        messages.error(request, message)
