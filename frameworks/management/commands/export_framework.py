"""python manage.py export_framework SLUG[@VERSION] --format case|case-1.0|csv|fixture [--output FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.interchange.service import EXPORT_FORMATS, export_framework, latest_framework
from frameworks.models import Framework


class Command(BaseCommand):
    help = (
        "Export a framework version as a CASE 1.1 (or 1.0) JSON package, the portal's CSV format or a "
        "Django fixture. Without @VERSION: the latest published version, else the latest."
    )

    def add_arguments(self, parser):
        parser.add_argument("framework", metavar="SLUG[@VERSION]")
        parser.add_argument("--format", choices=EXPORT_FORMATS, required=True)
        parser.add_argument("--output", type=Path, help="Default: standard output.")

    def handle(self, *args, framework: str, format: str, output: Path | None, **options):
        slug, _, version = framework.partition("@")
        if version:
            found = Framework.objects.filter(slug=slug, version=version).first()
        else:
            found = latest_framework(slug, published=True) or latest_framework(slug)
        if found is None:
            raise CommandError(f"There is no framework {framework}.")
        text = export_framework(framework=found, format=format)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"{found.slug}@{found.version} written to {output}.")
