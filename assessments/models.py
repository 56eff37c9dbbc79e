"""
People and districts: districts, teams, people (who sign in by email) and their district
roles; the audit trail. Who may see what is answered in ``assessments.querysets``.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from .querysets import (
    AssessmentQuerySet,
    AuditEventQuerySet,
    CycleQuerySet,
    PersonQuerySet,
    TeamQuerySet,
    reviewer_id,
)
from .roles import LEAD, Role


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


class AuditEvent(models.Model):
    """
    One thing that happened: who did what to which object, in which district, when,
    from where, and with what outcome. Rows are only ever added (see ``assessments.audit``).
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", "Success"
        FAILURE = "failure", "Failure"
        REFUSED = "refused", "Refused"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the trail still names the person if the account goes.
    actor_email = models.CharField(max_length=254, blank=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome, default=Outcome.SUCCESS)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["district", "-at"], name="audit_district_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email or 'anonymous'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")


class SignInFailure(models.Model):
    """
    A sign-in attempt, counted before its password is checked and kept for a while if it
    fails, to throttle guessing (see ``assessments.signin``).
    """

    email = models.CharField(max_length=254, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.email} from {self.address} at {self.at:%Y-%m-%d %H:%M}"


class Cycle(models.Model):
    """A district's review period (yearly or per semester) on one framework version."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="cycles")
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    opens_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")), name="cycle_due_after_open"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="cycle_status_valid"
            ),
        ]

    def __str__(self):
        return self.title


class Assessment(models.Model):
    """
    One person's self-assessment in one cycle, against the targets of the role profile
    they held when the cycle opened.

    draft → submitted → finalized → acknowledged, and submitted → returned (editable
    again). ``version`` goes up with every write: a save that carries an older version
    came from a stale tab and is refused (see ``assessments.workflow``).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for revision"
        FINALIZED = "finalized", "Finalized"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    # Official: the record HR reads, with its PDF. The one definition of "official".
    OFFICIAL = (Status.FINALIZED, Status.ACKNOWLEDGED)
    # Handed in by its author: readable by their lead and the superintendent.
    HANDED_IN = (Status.SUBMITTED, *OFFICIAL)

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessments")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assessments")
    role_profile = models.ForeignKey(
        "frameworks.RoleProfile", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(blank=True, max_length=4000)
    return_message = models.TextField(blank=True, max_length=4000)
    finalized_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgment_comment = models.TextField(blank=True, max_length=4000)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__opens_on", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="assessment_one_per_cycle"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "submitted", "returned", "finalized", "acknowledged"]
                ),
                name="assessment_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.cycle}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class Rating(models.Model):
    """A person's own level for one competency, and apart from it their reviewer's."""

    NOTE_MAX = 2000

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(
        "frameworks.Competency", on_delete=models.PROTECT, related_name="+"
    )
    # Rows of the framework's scale: a level outside the scale cannot be stored.
    level = models.ForeignKey(
        "frameworks.ProficiencyLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(blank=True, max_length=NOTE_MAX)
    reviewer_level = models.ForeignKey(
        "frameworks.ProficiencyLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer_note = models.TextField(blank=True, max_length=NOTE_MAX)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="rating_one_per_competency"
            ),
        ]

    def __str__(self):
        return f"{self.assessment} {self.competency_id}"


class DevelopmentGoal(models.Model):
    """One of up to five goals a person sets for their largest gaps after submitting."""

    MAX_PER_ASSESSMENT = 5

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="goals")
    competency = models.ForeignKey(
        "frameworks.Competency", on_delete=models.PROTECT, related_name="+"
    )
    goal = models.TextField(max_length=2000)
    actions = models.TextField(max_length=4000)
    resource = models.ForeignKey(
        "frameworks.Resource", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_date = models.DateField()
    lead_comment = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["assessment", "target_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="goal_one_per_competency"
            ),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.goal[:40]}"


class ReminderLog(models.Model):
    """Who was reminded on which day, so that nobody gets more than one a day."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "sent_on"], name="reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.person} reminded on {self.sent_on}"


class SignInSettings(models.Model):
    """
    How a district's people sign in: its OpenID Connect provider (if any), whether a
    password is still accepted, who needs a second factor besides admins (see
    ``assessments.sso`` and ``assessments.second_factor``).
    """

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="sign_in")
    # HR and superintendents hold personnel records: a district may ask them for a code too.
    second_factor_for_hr_and_superintendents = models.BooleanField(default=False)
    # Off: the district's people sign in through its provider only (platform admins never).
    password_sign_in = models.BooleanField(default=True)
    sso_enabled = models.BooleanField("single sign-on", default=False)
    issuer = models.URLField("issuer URL", blank=True)
    client_id = models.CharField(max_length=255, blank=True)
    # Fernet-encrypted (``assessments.sso.encrypt_secret``); never shown again in full.
    client_secret_encrypted = models.TextField(blank=True)
    create_on_first_sign_in = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Sign-in settings of {self.district}"


class SignInDomain(models.Model):
    """
    An email domain of a district, for home realm discovery. A platform admin marks it
    verified (having seen the district's DNS record or proof); only verified domains send
    people to a provider.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")), name="sign_in_domain_lowercase"
            ),
        ]

    def __str__(self):
        return self.domain


class ExternalIdentity(models.Model):
    """A person's account at their district's provider: its issuer and subject, once linked."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identities")
    issuer = models.URLField()
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_unique"),
        ]

    def __str__(self):
        return f"{self.person} at {self.issuer}"
