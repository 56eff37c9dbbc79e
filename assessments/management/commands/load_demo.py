"""
Load the demo accounts that `make run` signs in with. Safe to run again: existing
accounts are left as they are (a changed password survives a second run).
"""

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.models import User

DEMO_PASSWORD = "skills-demo-2026"  # noqa: S105 — demo-only, listed in the README
PLATFORM_ADMIN = "root@skillsportal.example"


class Command(BaseCommand):
    help = "Create the demo accounts (idempotent). Never run this on a production database."

    @transaction.atomic
    def handle(self, *args, **options):
        _, created = User.objects.get_or_create(
            email=PLATFORM_ADMIN,
            defaults={
                "full_name": "Platform Admin",
                "is_staff": True,
                "is_superuser": True,
                "password": make_password(DEMO_PASSWORD),
            },
        )
        verb = "Created" if created else "Kept"
        self.stdout.write(f"{verb} the platform admin {PLATFORM_ADMIN}.")

