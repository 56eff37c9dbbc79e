"""
Email everyone whose assessment is not submitted and falls due within a few days.
Safe to run from cron as often as you like: each person gets at most one reminder a day.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import notifications
from assessments.models import Assessment, Cycle, ReminderLog


class Command(BaseCommand):
    help = "Remind people whose assessment is due soon and not yet submitted."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="remind when due within this many days (7)"
        )

    def handle(self, *args, days, **options):
        today = timezone.localdate()
        due = (
            Assessment.objects.filter(
                status__in=Assessment.EDITABLE,
                cycle__status=Cycle.Status.OPEN,
                cycle__opens_on__lte=today,
                cycle__due_on__gte=today,
                cycle__due_on__lte=today + timedelta(days=days),
                person__is_active=True,
            )
            .exclude(person__reminders__sent_on=today)
            .select_related("person", "cycle")
        )
        sent = 0
        for assessment in due:
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(person=assessment.person, sent_on=today)
                    notifications.reminder(assessment)
            except IntegrityError:
                continue  # another run reminded this person today
            sent += 1
        self.stdout.write(f"Sent {sent} reminder(s).")
