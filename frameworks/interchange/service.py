"""
The one import and the one export behind the management commands and the pages.

``import_framework`` never raises for bad input: it returns an ``ImportResult`` whose
``errors`` say what is wrong and where, and then nothing has been written.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core import serializers
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import (
    CaseSource,
    Competency,
    CompetencyLineage,
    CrosswalkReference,
    Domain,
    Framework,
    Indicator,
    LevelDescriptor,
    ProficiencyLevel,
    Resource,
    RoleProfile,
    RoleTarget,
)
from ..services import framework_problems, next_version_label
from . import case_export, case_import, csv_format, store
from .data import Refused, Report
from .diff import FrameworkDiff, compare
from .safe_json import MAX_BYTES
from .validation import validate

IMPORT_FORMATS = ("case", "csv")
EXPORT_FORMATS = ("case", "case-1.0", "csv", "fixture")
# format → (media type, file name ending)
EXPORT_FILES = {
    "case": ("application/json", ".case.json"),
    "case-1.0": ("application/json", ".case-1.0.json"),
    "csv": ("text/csv", ".csv"),
    "fixture": ("application/json", ".fixture.json"),
}


@dataclass
class ImportResult:
    format: str
    dry_run: bool
    slug: str = ""
    # The label the new draft gets (or would get, on a dry run).
    version: str = ""
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Against the latest version of the slug; None when the slug is new.
    diff: FrameworkDiff | None = None
    # How many domains, competencies, descriptors, roles and targets the file holds.
    counts: dict[str, int] = field(default_factory=dict)
    # What the reader chose, e.g. the depth of the competencies.
    info: list[str] = field(default_factory=list)
    title: str = ""
    # The new draft; None on a dry run or when refused.
    framework: Framework | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def guess_format(filename: str) -> str | None:
    """``case`` for .json, ``csv`` for .csv, else None."""
    return {".json": "case", ".csv": "csv"}.get(PurePath(filename).suffix.lower())


def latest_framework(slug: str, *, published: bool = False) -> Framework | None:
    """The newest version of ``slug`` by its label read as numbers (2026.10 > 2026.9)."""
    versions = Framework.objects.filter(slug=slug)
    if published:
        versions = versions.published()
    return max(versions, key=lambda f: _version_key(f.version), default=None)


def _version_key(label: str) -> list[tuple[int, int | str]]:
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-_]", label)]


def import_frameworks(
    *,
    content: bytes,
    format: str,
    dry_run: bool = False,
    slug: str | None = None,
    competency_depth: int | None = None,
    max_bytes: int = MAX_BYTES,
    before_writing: Callable[[], None] | None = None,
) -> list[ImportResult]:
    """
    Every framework of a file (a CASE file may hold an array of packages): each read,
    validated and compared; unless ``dry_run`` and only when all are good, each written
    as a new draft, all in one transaction (``before_writing`` is called just before). A
    CASE file over ``max_bytes`` is refused (a CSV file over 5 MB always).
    """
    try:
        if format == "case":
            contents = case_import.packages(content, max_bytes)
            if slug and len(contents) > 1:
                raise Refused(f"--slug names one framework; this file holds {len(contents)}.")
        elif format == "csv":
            contents = [content]
        else:
            raise Refused(f"Unknown format {format!r}; use one of {', '.join(IMPORT_FORMATS)}.")
    except Refused as refusal:
        return [ImportResult(format=format, dry_run=dry_run, errors=[str(refusal)])]
    options = {"format": format, "slug": slug, "competency_depth": competency_depth}
    prepared = [_prepare(c, dry_run=dry_run, **options) for c in contents]
    results = [result for result, _ in prepared]
    if dry_run or not all(r.ok for r in results):
        return results
    if before_writing is not None:
        before_writing()
    with transaction.atomic():
        for result, built in prepared:
            _write(result, built)
        if not all(r.ok for r in results):
            transaction.set_rollback(True)
            for r in results:
                r.framework = None
    return results


def import_framework(*, content: bytes, format: str, dry_run: bool = False, **options):
    """The one framework of a file; a file holding several is refused (see above)."""
    results = import_frameworks(content=content, format=format, dry_run=dry_run, **options)
    if len(results) > 1:
        return ImportResult(
            format=format,
            dry_run=dry_run,
            errors=[
                f"This file holds {len(results)} CASE packages; import it with "
                "`python manage.py import_framework`, which takes several."
            ],
        )
    return results[0]


def _read(content, format: str, report: Report, slug, competency_depth):
    if format == "case":
        return case_import.read(content, report, slug=slug, competency_depth=competency_depth)
    return csv_format.read(content, report)


def _prepare(
    content, *, format, dry_run, slug, competency_depth
) -> tuple[ImportResult, store.Built | None]:
    """
    Read, validate and compare one framework, and build its unsaved rows (None when it
    is refused): what a dry run shows and what ``_write`` then saves, read only once.
    """
    result = ImportResult(format=format, dry_run=dry_run)
    report = Report()
    try:
        fd = _read(content, format, report, slug, competency_depth)
    except Refused as refusal:
        result.errors = [str(refusal)]
        return result, None
    if fd is not None:
        fd.slug = slug or fd.slug
        validate(fd, report)
    result.warnings, result.errors, result.info = report.warnings, report.errors, report.info
    if fd is None or report.errors:
        return result, None
    result.slug, result.title, result.counts = fd.slug, fd.title, _counts(fd)
    latest = latest_framework(fd.slug)
    if latest is not None:
        result.diff = compare(store.load(latest), fd)
    fd.version = result.version = _free_label(fd.slug, fd.version)
    built = store.build(fd)
    result.errors = built.field_errors(fd.origin)
    return result, None if result.errors else built


def _write(result: ImportResult, built: store.Built) -> None:
    """Save what ``_prepare`` built as a new draft (inside the import's transaction)."""
    framework = built.framework
    try:
        with transaction.atomic():
            framework.version = result.version = _free_label(framework.slug, framework.version)
            result.framework = built.save()
    except IntegrityError as error:
        # Most likely another import took the same version label a moment earlier.
        result.errors = [f"The database refused the import ({error}); nothing was written."]
        return
    result.warnings += [f"Before publishing: {p}" for p in framework_problems(result.framework)]


def _counts(fd) -> dict[str, int]:
    competencies = fd.competencies()

    def indicators(items):
        return sum(1 + indicators(i.children) for i in items)

    return {
        "domains": len(fd.domains),
        "competencies": len(competencies),
        "indicators": sum(indicators(c.indicators) for c in competencies),
        "levels": len(fd.levels),
        "descriptors": sum(len(c.descriptors) for c in competencies),
        "roles": len(fd.roles),
        "targets": sum(len(r.targets) for r in fd.roles),
        "resources": sum(len(c.resources) for c in competencies),
    }


def _free_label(slug: str, version: str) -> str:
    """``version`` when no version of ``slug`` has it yet, else the next free label."""
    if not Framework.objects.filter(slug=slug, version=version).exists():
        return version
    return next_version_label(Framework(slug=slug, version=version))


def export_framework(*, framework: Framework, format: str) -> str:
    """The text of ``framework`` in ``format`` (one of ``EXPORT_FORMATS``)."""
    if format == "fixture":
        return _fixture(framework)
    fd = store.load(framework)
    if format == "csv":
        return csv_format.write(fd)
    if format in ("case", "case-1.0"):
        package = case_export.write(
            fd,
            changed=framework.frozen_at or timezone.now(),
            status=framework.status,
            case_version="1.0" if format == "case-1.0" else "1.1",
        )
        return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"Unknown export format {format!r}.")


def export_filename(framework: Framework, format: str) -> str:
    return f"{framework.slug}-{framework.version}{EXPORT_FILES[format][1]}"


def _fixture(framework: Framework) -> str:
    """Django's serialized JSON with natural keys, the shape of the shipped fixture."""
    objects = [
        framework,
        *ProficiencyLevel.objects.filter(framework=framework),
        *Domain.objects.filter(framework=framework),
        *Competency.objects.filter(framework=framework).select_related("framework", "domain"),
        *LevelDescriptor.objects.filter(competency__framework=framework).select_related(
            "competency__framework", "level__framework"
        ),
        *Resource.objects.filter(competency__framework=framework).select_related(
            "competency__framework"
        ),
        *CrosswalkReference.objects.filter(competency__framework=framework).select_related(
            "competency__framework"
        ),
        *CaseSource.objects.filter(framework=framework).select_related("framework"),
        *Indicator.objects.filter(competency__framework=framework)
        .select_related("competency__framework")
        .order_by("pk"),
        *CompetencyLineage.objects.filter(competency__framework=framework).select_related(
            "competency__framework"
        ),
        *RoleProfile.objects.filter(framework=framework),
        *RoleTarget.objects.filter(role__framework=framework).select_related(
            "role__framework", "competency__framework", "target__framework"
        ),
    ]
    return (
        serializers.serialize(
            "json",
            objects,
            indent=2,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        + "\n"
    )
