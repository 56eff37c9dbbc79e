"""
python manage.py import_framework FILE [--format case|csv] [--dry-run] [--slug SLUG]
[--competency-depth N]
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.interchange.safe_json import COMMAND_MAX_BYTES
from frameworks.interchange.service import IMPORT_FORMATS, guess_format, import_frameworks


class Command(BaseCommand):
    help = (
        "Import a framework from a CASE JSON package (or an array of them) or the portal's "
        "CSV format as a new draft version. With --dry-run, show what would change and "
        "write nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=IMPORT_FORMATS, help="Default: from the file name's ending."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and compare only.")
        parser.add_argument("--slug", help="Import under this slug instead of the file's.")
        parser.add_argument(
            "--competency-depth",
            type=int,
            choices=range(1, 21),
            metavar="N",
            help="CASE: the depth of the tree whose items are rated (1 = the top). Default: "
            "the portal's own competencies, else 2 (1 for a flat list).",
        )

    def handle(self, *args, file: Path, format, dry_run, slug, competency_depth, **options):
        format = format or guess_format(file.name)
        if format is None:
            raise CommandError(
                f"Say --format {' or '.join(IMPORT_FORMATS)}: {file.name} has neither ending."
            )
        try:
            with file.open("rb") as stream:
                content = stream.read(COMMAND_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        results = import_frameworks(
            content=content,
            format=format,
            dry_run=dry_run,
            slug=slug,
            competency_depth=competency_depth,
            max_bytes=COMMAND_MAX_BYTES,
        )
        for result in results:
            self.show(result, several=len(results) > 1)
        if not all(r.ok for r in results):
            raise CommandError(f"{file.name} was not imported; nothing was written.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")

    def show(self, result, *, several: bool) -> None:
        if several:
            self.stdout.write(f"== {result.title or result.slug} ==")
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        for error in result.errors:
            self.stderr.write(self.style.ERROR(f"error: {error}"))
        if not result.ok:
            return
        self.stdout.writelines(result.info)
        counts = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        self.stdout.write(f"{result.slug} version {result.version}: {counts}.")
        if result.diff is None:
            self.stdout.write(f"{result.slug} is new: there is no earlier version to compare.")
        elif result.diff.unchanged:
            self.stdout.write(f"Same content as {result.diff.against}.")
        else:
            self.stdout.write(f"Compared with {result.diff.against}:")
            for heading, lines in result.diff.sections():
                if lines:
                    self.stdout.write(f"  {heading} ({len(lines)}):")
                    self.stdout.writelines(f"    {line}" for line in lines)
        if result.framework is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported as the draft {result.slug} version {result.version}; "
                    "publish it in the admin when it is ready."
                )
            )
