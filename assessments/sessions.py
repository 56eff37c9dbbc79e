"""
Sessions in the database, written only when there is something to write.

Every request moves a session's idle expiry on (``SESSION_SAVE_EVERY_REQUEST``), and
Django's database sessions write the row each time: three queries (a transaction and an
UPDATE) on every request, the autosave's too. This store writes an unchanged session
only once its stored expiry has fallen more than ``SESSION_TOUCH_SECONDS`` behind where
a write now would put it; a changed one (sign-in, messages, a new key) is written at
once. An idle session therefore ends at most ``SESSION_TOUCH_SECONDS`` before
``SESSION_COOKIE_AGE`` of idleness, never after.
"""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    _stored_expiry = None  # the expiry of the row as read; None when none was read

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self._stored_expiry = row.expire_date if row is not None else None
        return row

    def save(self, must_create=False):
        if must_create or self.modified or self._expiry_due():
            super().save(must_create=must_create)
            self._stored_expiry = self.get_expiry_date()

    def _expiry_due(self) -> bool:
        if self._stored_expiry is None:
            return True
        behind = self.get_expiry_date() - self._stored_expiry
        return behind.total_seconds() > settings.SESSION_TOUCH_SECONDS
