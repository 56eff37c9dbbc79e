"""
Render again the stored official PDFs that lack their stylesheet (no US Letter pages, no
"page i of n"): each gets a new file and hash, its old file is kept, and the change is
audited (``reports.official.rerender_official_report``). Files that do not match their
stored SHA-256 are reported and left alone. ``--dry-run`` only lists what would be done.
Run ``collectstatic`` first on a server with DEBUG off.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.models import OfficialReport
from reports.official import lacks_stylesheet, read_official, rerender_official_report

REASON = "rendered without its stylesheet"


class Command(BaseCommand):
    help = "Render again the stored official PDFs that were rendered without their stylesheet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be rendered again; change nothing.",
        )

    def handle(self, *args, dry_run: bool, **options):
        found = rendered = 0
        for official in OfficialReport.objects.select_related("assessment").order_by("pk"):
            name = f"official record #{official.assessment_id} ({official.path})"
            try:
                content = read_official(official)
            except FileNotFoundError:
                self.stderr.write(f"Skipped {name}: the file is missing.")
                continue
            if hashlib.sha256(content).hexdigest() != official.sha256:
                self.stderr.write(f"Skipped {name}: the file does not match its SHA-256.")
                continue
            if not lacks_stylesheet(content):
                continue
            found += 1
            if dry_run:
                self.stdout.write(f"Would render again {name}: {REASON}.")
                continue
            try:
                official = rerender_official_report(official=official, reason=REASON)
            except ValidationError as error:
                raise CommandError(error.messages[0]) from None
            rendered += 1
            self.stdout.write(f"Rendered again {name}: now {official.path}, {official.sha256}.")
        verb = "would be rendered again" if dry_run else "rendered again"
        self.stdout.write(f"{found if dry_run else rendered} official PDF(s) {verb}.")
