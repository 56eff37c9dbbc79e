"""What the reports app keeps: official PDFs and whole-cycle exports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.querysets import CycleExportQuerySet


class OfficialReport(models.Model):
    """
    One version of the official PDF of an assessment, kept outside any public URL (under
    PRIVATE_STORAGE_ROOT): version 1 rendered at finalization (awaiting acknowledgment),
    version 2 at acknowledgment, its signature block complete. Each is rendered once;
    every download is the stored file of the version asked for, by default the latest.
    A file rendered again (``reports.official.rerender_official_report``) replaces path,
    hash, size and time here; the old file stays, as a ``SupersededOfficialReport``.
    """

    class Version(models.IntegerChoices):
        FINALIZED = 1, "Finalized, awaiting acknowledgment"
        ACKNOWLEDGED = 2, "Acknowledged, signed"

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.PROTECT, related_name="official_reports"
    )
    version = models.PositiveSmallIntegerField(choices=Version, default=Version.FINALIZED)
    # Relative to settings.PRIVATE_STORAGE_ROOT.
    path = models.CharField(max_length=300, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    # When the current file was rendered.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment", "version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="official_sha256_hex"
            ),
            models.UniqueConstraint(
                fields=["assessment", "version"], name="official_one_per_version"
            ),
            models.CheckConstraint(condition=Q(version__in=[1, 2]), name="official_version_valid"),
        ]

    def __str__(self):
        return f"Official report of {self.assessment}, version {self.version}"


class SupersededOfficialReport(models.Model):
    """
    An official PDF that a later rendering of the same record replaced (for instance one
    rendered without its stylesheet): the file is kept, with its hash, and never served.
    """

    official = models.ForeignKey(
        OfficialReport, on_delete=models.PROTECT, related_name="superseded"
    )
    # Relative to settings.PRIVATE_STORAGE_ROOT.
    path = models.CharField(max_length=300, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    rendered_at = models.DateTimeField()
    superseded_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["superseded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="superseded_sha256_hex"
            ),
        ]

    def __str__(self):
        return f"Superseded {self.official} ({self.sha256[:12]})"


class CycleExport(models.Model):
    """
    A file built by a background task, with its progress: HR's ZIP of a whole cycle's
    official reports (``kind`` "cycle"), or a report too large to render in a request —
    a team or district PDF, or a ZIP of a team's individual reports — for whoever asked
    for it (``reports.exports.reports``). ``options`` keeps what the file depends on
    beyond its kind, team and cycle (the ``basis`` of the figures).
    """

    class Kind(models.TextChoices):
        CYCLE = "cycle", "Cycle export"
        TEAM_PDF = "team_pdf", "Team report (PDF)"
        DISTRICT_PDF = "district_pdf", "District report (PDF)"
        TEAM_REPORTS = "team_reports", "Individual reports of a team (ZIP)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=12, choices=Kind, default=Kind.CYCLE)
    cycle = models.ForeignKey("assessments.Cycle", on_delete=models.CASCADE, related_name="+")
    # The team of a team report; none for the others.
    team = models.ForeignKey(
        "assessments.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    options = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # Relative to settings.PRIVATE_STORAGE_ROOT, once done.
    path = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Moved on by the worker as it goes; a running export whose heartbeat is old was
    # abandoned by a worker that died, and is marked failed (see reports.exports.sweep).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = CycleExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")) | Q(total=0),
                name="export_progress_within_total",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="export_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["cycle", "district_pdf"], team__isnull=True)
                | Q(kind__in=["team_pdf", "team_reports"], team__isnull=False),
                name="export_team_for_team_kinds",
            ),
        ]

    def __str__(self):
        subject = f"{self.team}, {self.cycle}" if self.team_id else str(self.cycle)
        return f"{self.get_kind_display()} of {subject} ({self.get_status_display()})"
