"""
The stale sweep: a running export whose worker shows no sign of life for ``STALE_AFTER``
(a worker killed mid-export) is marked failed and its partial file removed.
"""

import logging
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import CycleExport

logger = logging.getLogger(__name__)

Status = CycleExport.Status
# A running export whose heartbeat is older than this was abandoned by its worker.
STALE_AFTER = timedelta(minutes=2)
EXPORTS_DIR = "exports"


def sweep_stale(*, now: datetime | None = None) -> int:
    """
    Mark failed every running export whose worker has shown no sign of life for
    ``STALE_AFTER`` (a worker killed mid-export), and remove its temporary file.
    Returns how many were marked.
    """
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    stale = CycleExport.objects.filter(status=Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    ids = list(stale.values_list("pk", flat=True))
    if not ids:
        return 0
    minutes = int(STALE_AFTER.total_seconds() // 60)
    marked = stale.filter(pk__in=ids).update(
        status=Status.FAILED,
        finished_at=now,
        error=(
            f"The worker building this export stopped responding (no progress for over "
            f"{minutes} minutes; it was probably restarted or killed). Nothing was kept: "
            "start a new export."
        ),
    )
    for pk in ids:
        remove_partial(pk)
    logger.warning("Marked %d abandoned export(s) failed: %s", marked, ids)
    return marked


def exports_dir() -> Path:
    """Where the ZIPs and their partial files are, under PRIVATE_STORAGE_ROOT."""
    return Path(settings.PRIVATE_STORAGE_ROOT) / EXPORTS_DIR


def remove_partial(export_id: int) -> None:
    """Remove what a build of ``export_id`` left half-written."""
    folder = exports_dir()
    if folder.is_dir():
        for part in folder.glob(f"export-{export_id}-*.part"):
            part.unlink(missing_ok=True)
