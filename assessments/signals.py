"""Signals other apps listen to, so that nothing here imports them."""

from django.dispatch import Signal

# Sent inside the transaction that finalizes an assessment (kwargs: assessment).
# The reports app renders and stores the official PDF in answer; if that fails, the
# finalization fails with it and nothing is half-done.
assessment_finalized = Signal()
