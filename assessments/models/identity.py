"""
Identity and districts: districts, teams, people (who sign in by email) and their
district roles.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from ..querysets import (
    PersonQuerySet,
    TeamQuerySet,
    reviewer_id,
)
from ..roles import LEAD, Role


class DistrictManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class District(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=64, unique=True)

    objects = DistrictManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Team(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)
    lead = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="led_teams"
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("district", Lower("name"), name="team_unique_name_in_district"),
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager.from_queryset(PersonQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email=email.lower())

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A person needs an email address to sign in.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    # Platform admins (superusers) have no district; everybody else has exactly one.
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    # Whom this person reports to: their reviewer when their team has no other lead (a
    # team's lead reports to someone outside the team; see ``querysets.reviewer_id``).
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    # The code of a role profile (e.g. "district-cto"); the framework of each cycle gives
    # the targets that go with it.
    job_role = models.SlugField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    # Platform admins only: may use the Django admin.
    is_staff = models.BooleanField("platform admin", default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            # Stored lower-case, so that uniqueness is case-insensitive.
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_lowercase"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.email.lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def natural_key(self):
        return (self.email,)

    def role_set(self) -> frozenset[str]:
        """
        This person's district roles: the roles granted to them, and "lead" while they
        lead a team. Read once per request and kept on the instance.
        """
        if not hasattr(self, "_role_set"):
            roles = set(self.roles.order_by().values_list("role", flat=True))
            if self.led_teams.exists():
                roles.add(LEAD)
            self._role_set = frozenset(roles)
        return self._role_set

    def has_role(self, *roles: str) -> bool:
        return self.district_id is not None and not self.role_set().isdisjoint(roles)

    def reviewer(self) -> "User | None":
        """Who reviews this person's assessments (``querysets.reviewer_id``), or None."""
        lead_id = self.team.lead_id if self.team_id else None
        reviewer = reviewer_id(self.pk, lead_id, self.reports_to_id)
        if reviewer is None:
            return None
        return self.team.lead if reviewer == lead_id else self.reports_to


class RoleGrant(models.Model):
    """One district role held by one person; a person may hold several."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=16, choices=Role)

    class Meta:
        ordering = ["person", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="role_grant_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="role_grant_valid"),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}"
