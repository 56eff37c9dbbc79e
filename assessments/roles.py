"""The district roles. Leading a team is not granted: it follows from ``Team.lead``."""

from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    SUPERINTENDENT = "superintendent", "Superintendent"
    HR = "hr", "HR"
    ADMIN = "admin", "District admin"


LEAD = "lead"
ROLE_NAMES = {**dict(Role.choices), LEAD: "Team lead"}
