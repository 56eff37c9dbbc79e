"""
How a view shows what a service refused (its ``ValidationError``), one way throughout:

- on a page with a form, on the form: ``form.add_error(None, error)`` puts each message by
  the field the service names, else above the form;
- after a button that leads on to another page, as messages on that page: ``show_errors``
  (the button's own form too, when it is invalid).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError


def show_errors(request, error: ValidationError | forms.BaseForm) -> None:
    """
    One error message per reason, shown on the next page: those of a service's refusal, or
    of a button's form (its hidden fields, a short comment) when it is invalid.
    """
    if isinstance(error, forms.BaseForm):
        error = ValidationError(error.errors.as_data())
    for message in error.messages:
        messages.error(request, message)
