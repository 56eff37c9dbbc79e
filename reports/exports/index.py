"""The rows of the ZIP's ``index.csv``: one per PDF, with its SHA-256 and size."""

import csv
import hashlib
import io

from django.utils import timezone

from assessments.models import Assessment
from frameworks.spreadsheet import neutralise

COLUMNS = [
    "file",
    "person",
    "email",
    "team",
    "job_role",
    "status",
    "finalized_at",
    "acknowledged_at",
    "sha256",
    "bytes",
]


class Index:
    """``index.csv`` as it is written: the header, then one row per PDF added."""

    def __init__(self):
        self._out = io.StringIO()
        self._writer = csv.writer(self._out)
        self._writer.writerow(COLUMNS)

    def add(self, filename: str, assessment: Assessment, body: bytes) -> None:
        self._writer.writerow(_row(filename, assessment, body))

    def text(self) -> str:
        return self._out.getvalue()


def _row(filename: str, assessment: Assessment, body: bytes) -> list[str]:
    person = assessment.person

    def when(value):
        return timezone.localtime(value).isoformat(timespec="seconds") if value else ""

    return [
        filename,
        neutralise(person.get_full_name()),
        neutralise(person.email),
        neutralise(person.team.name if person.team else ""),
        neutralise(assessment.role_profile.title),
        assessment.status,
        when(assessment.finalized_at),
        when(assessment.acknowledged_at),
        hashlib.sha256(body).hexdigest(),
        str(len(body)),
    ]
