"""
The competency framework: a versioned scale, domains, competencies, what each level
looks like for each competency, the targets of each job role, and resources.

Every model that a fixture loads has a natural key built from the framework's
(slug, version) and the codes inside it, so fixtures load again without duplicates.
A framework that is in use is frozen (see ``frameworks.signals``): changes make a
new version (``frameworks.services.copy_framework``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .access import is_platform_admin

# CASE allows codes of any length; 255 holds every real one seen (e.g. 26 characters).
CODE_LENGTH = 255


class CaseIdentity(models.Model):
    """
    Where a part of an imported CASE package came from: its identifier and URI, and the
    source object's other fields (CFItemType, educationLevel, its isChildOf association,
    …) so that the export gives back the same object. Empty for what the portal made:
    the export gives those stable uuid5 identifiers (``interchange.case_export``).
    """

    case_identifier = models.CharField(max_length=255, blank=True, editable=False)
    case_uri = models.CharField(max_length=500, blank=True, editable=False)
    case_fields = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True


class FrameworkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """
        The versions a signed-in person may read: published and retired ones (history
        stays readable); drafts only for platform admins, who prepare them.
        """
        if is_platform_admin(user):
            return self
        return self.exclude(status=Framework.Status.DRAFT)

    def published(self):
        return self.filter(status=Framework.Status.PUBLISHED)


class FrameworkManager(models.Manager.from_queryset(FrameworkQuerySet)):
    def get_by_natural_key(self, slug, version):
        return self.get(slug=slug, version=version)


class Framework(CaseIdentity):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    slug = models.SlugField(max_length=64)
    version = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Where the framework comes from: publisher, source text, licence.
    source = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    # Set when the first cycle opens on this version; from then on nothing in it changes.
    frozen_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = FrameworkManager()

    class Meta:
        ordering = ["slug", "version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_unique_version"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "retired"]),
                name="framework_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.version})"

    def get_absolute_url(self):
        return reverse("frameworks:detail", args=[self.slug, self.version])

    def natural_key(self):
        return (self.slug, self.version)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class CaseSource(models.Model):
    """
    What an imported CASE package holds beyond its tree: CFDefinitions, CFRubrics and the
    associations the tree does not use, exported again unchanged. Apart from the framework
    row, which every assessment page reads, because it can be large.
    """

    framework = models.OneToOneField(
        Framework, on_delete=models.CASCADE, related_name="case_source"
    )
    fields = models.JSONField(default=dict)

    framework_via = ""

    def __str__(self):
        return f"CASE source of {self.framework_id}"


# The parts of a framework say how to reach it: ``framework_via`` names the foreign key
# through which they belong to it ("" when they hold ``framework`` themselves).


class FrameworkPartManager(models.Manager):
    """Natural keys of the parts of a framework start with the framework's own."""

    def get_by_natural_key(self, slug, version, *rest):
        lookup = dict(zip(self.model.natural_key_fields, rest, strict=True))
        return self.get(framework__slug=slug, framework__version=version, **lookup)


class ProficiencyLevel(models.Model):
    """One step of the framework's scale, e.g. 0 "Not yet" … 5 "Leading"."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    description = models.TextField()

    objects = FrameworkPartManager()
    natural_key_fields = ("value",)
    framework_via = ""

    class Meta:
        ordering = ["framework", "value"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="level_unique_value"),
            models.CheckConstraint(condition=Q(value__lte=10), name="level_value_at_most_10"),
        ]

    def __str__(self):
        return f"{self.value} {self.name}"

    def natural_key(self):
        return (*self.framework.natural_key(), self.value)

    natural_key.dependencies = ["frameworks.framework"]


class Domain(CaseIdentity):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    # A group inside a domain (CASE items above the rateable level) names its domain.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="groups"
    )
    code = models.CharField(max_length=CODE_LENGTH)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = FrameworkPartManager()
    natural_key_fields = ("code",)
    framework_via = ""

    class Meta:
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="domain_unique_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (*self.framework.natural_key(), self.code)

    natural_key.dependencies = ["frameworks.framework"]


class Competency(CaseIdentity):
    # The framework is stored beside the domain so that codes can be unique per framework
    # in the database; validation keeps the two in agreement.
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField(max_length=CODE_LENGTH)
    title = models.CharField(max_length=200)
    description = models.TextField()
    why_it_matters = models.TextField(blank=True)
    # Which passage of the framework's source this competency answers.
    source_note = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = FrameworkPartManager()
    natural_key_fields = ("code",)
    framework_via = ""

    class Meta:
        ordering = ["framework", "domain__position", "position", "code"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competency_unique_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (*self.framework.natural_key(), self.code)

    natural_key.dependencies = ["frameworks.framework", "frameworks.domain"]

    def clean(self):
        if self.domain_id and self.framework_id and self.domain.framework_id != self.framework_id:
            raise ValidationError({"domain": "The domain belongs to another framework."})


class Indicator(CaseIdentity):
    """
    A CASE item below a competency: shown with it and exported back, not rated. Its
    ``parent`` is another indicator when the source tree goes deeper.
    """

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    # CASE codes are labels: they may repeat or be absent.
    code = models.CharField(max_length=CODE_LENGTH, blank=True)
    statement = models.TextField()
    notes = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    framework_via = "competency"

    class Meta:
        ordering = ["competency", "position", "pk"]

    def __str__(self):
        return f"{self.code} {self.statement[:60]}".strip()


def indicator_trees(indicators) -> dict[int, list[Indicator]]:
    """
    The top indicators per competency id, each with its ``kids`` (in order, at any depth),
    from one query over ``indicators``.
    """
    rows = list(indicators.order_by("position", "pk"))
    by_pk = {row.pk: row for row in rows}
    tops: dict[int, list[Indicator]] = {}
    for row in rows:
        row.kids = []
    for row in rows:
        parent = by_pk.get(row.parent_id)
        (parent.kids if parent else tops.setdefault(row.competency_id, [])).append(row)
    return tops


class CompetencyPartManager(models.Manager):
    """Natural keys of a competency's parts: the framework, the competency code, then own."""

    def get_by_natural_key(self, slug, version, code, *rest):
        lookup = dict(zip(self.model.natural_key_fields, rest, strict=True))
        return self.get(
            competency__framework__slug=slug,
            competency__framework__version=version,
            competency__code=code,
            **lookup,
        )


class LevelDescriptor(models.Model):
    """What a person at one level of the scale observably does in one competency."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(ProficiencyLevel, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()

    objects = CompetencyPartManager()
    natural_key_fields = ("level__value",)
    framework_via = "competency"

    class Meta:
        ordering = ["competency", "level__value"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "level"], name="descriptor_one_per_level"
            ),
        ]

    def __str__(self):
        return f"{self.competency.code} level {self.level.value}"

    def natural_key(self):
        return (*self.competency.natural_key(), self.level.value)

    natural_key.dependencies = ["frameworks.competency", "frameworks.proficiencylevel"]


class Resource(models.Model):
    """A real development resource for one competency."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="resources")
    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    url = models.URLField(blank=True, max_length=500)
    # The year of the edition cited; blank for a living page that has no single year.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    objects = CompetencyPartManager()
    natural_key_fields = ("title",)
    framework_via = "competency"

    class Meta:
        ordering = ["competency", "publisher", "title"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "title"], name="resource_unique_title"),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    def natural_key(self):
        return (*self.competency.natural_key(), self.title)

    natural_key.dependencies = ["frameworks.competency"]


class CrosswalkReference(models.Model):
    """
    A pointer from a competency to a related item of another published framework,
    by code and title only: the other framework's text is never copied here.
    """

    class Scheme(models.TextChoices):
        COSN = "cosn", "CoSN Framework of Essential Skills of the K-12 CTO"
        ISTE = "iste", "ISTE Standards for Education Leaders"
        NICE = "nice", "NICE Workforce Framework work role"

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="crosswalk")
    scheme = models.CharField(max_length=8, choices=Scheme)
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=200)

    objects = CompetencyPartManager()
    natural_key_fields = ("scheme", "code")
    framework_via = "competency"

    class Meta:
        ordering = ["competency", "scheme", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "scheme", "code"], name="crosswalk_unique_reference"
            ),
            models.CheckConstraint(
                condition=Q(scheme__in=["cosn", "iste", "nice"]), name="crosswalk_scheme_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_scheme_display()} {self.code}"

    def natural_key(self):
        return (*self.competency.natural_key(), self.scheme, self.code)

    natural_key.dependencies = ["frameworks.competency"]


class CompetencyLineage(models.Model):
    """
    Which competency of an earlier version of the same framework this one continues.

    The earlier competency is named by version and code, not by a foreign key, so that a
    version loads whether or not the earlier one is in the database. A competency split
    in two has a row in each part; one merged from two has two rows.
    """

    class Kind(models.TextChoices):
        SAME = "same", "Same competency"
        SPLIT = "split", "Split from"
        MERGED = "merged", "Merged from"
        RECODED = "recoded", "Recoded from"

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="lineage")
    earlier_version = models.CharField(max_length=32)
    earlier_code = models.CharField(max_length=20)
    kind = models.CharField(max_length=8, choices=Kind)

    objects = CompetencyPartManager()
    natural_key_fields = ("earlier_version", "earlier_code")
    framework_via = "competency"

    class Meta:
        ordering = ["competency", "earlier_version", "earlier_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "earlier_version", "earlier_code"],
                name="lineage_unique_earlier_code",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["same", "split", "merged", "recoded"]),
                name="lineage_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.competency.code} ← {self.earlier_version} {self.earlier_code} ({self.kind})"

    def natural_key(self):
        return (*self.competency.natural_key(), self.earlier_version, self.earlier_code)

    natural_key.dependencies = ["frameworks.competency"]


class RoleProfile(models.Model):
    """A job role (e.g. District CTO/CIO) with a target for every competency."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="roles")
    code = models.SlugField(max_length=40)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = FrameworkPartManager()
    natural_key_fields = ("code",)
    framework_via = ""

    class Meta:
        ordering = ["framework", "title"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="role_unique_code"),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (*self.framework.natural_key(), self.code)

    natural_key.dependencies = ["frameworks.framework"]


class RoleTargetManager(models.Manager):
    def get_by_natural_key(self, slug, version, role_code, competency_code):
        return self.get(
            role__framework__slug=slug,
            role__framework__version=version,
            role__code=role_code,
            competency__code=competency_code,
        )


class RoleTarget(models.Model):
    class Importance(models.TextChoices):
        ESSENTIAL = "essential", "Essential"
        IMPORTANT = "important", "Important"
        HELPFUL = "helpful", "Helpful"

    role = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="targets")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="targets")
    # A row of the scale, so that a target outside the scale cannot be stored.
    target = models.ForeignKey(ProficiencyLevel, on_delete=models.CASCADE, related_name="+")
    importance = models.CharField(max_length=10, choices=Importance)

    objects = RoleTargetManager()
    framework_via = "role"

    class Meta:
        ordering = ["role", "competency"]
        constraints = [
            models.UniqueConstraint(fields=["role", "competency"], name="target_one_per_role"),
            models.CheckConstraint(
                condition=Q(importance__in=["essential", "important", "helpful"]),
                name="target_importance_valid",
            ),
        ]

    def __str__(self):
        return f"{self.role.code} {self.competency.code} → {self.target.value}"

    def natural_key(self):
        return (*self.role.natural_key(), self.competency.code)

    natural_key.dependencies = [
        "frameworks.roleprofile",
        "frameworks.competency",
        "frameworks.proficiencylevel",
    ]

    def clean(self):
        framework_ids = {self.role.framework_id, self.competency.framework_id}
        if self.target_id:
            framework_ids.add(self.target.framework_id)
        if len(framework_ids) > 1:
            raise ValidationError("Role, competency and target level must share one framework.")


class FrameworkFrozenError(ValidationError):
    """Raised when something tries to change a framework version that is in use."""

    def __init__(self, framework: Framework, detail: str):
        super().__init__(
            f"{framework} is in use by assessments and frozen ({detail}). "
            "Make a new version to change it."
        )


class FrameworkImport(models.Model):
    """
    A large file uploaded on the import page, imported by a background task
    (``interchange.background``) while its page shows how far it got.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        CHECKING = "checking", "Reading and checking the file"
        WRITING = "writing", "Writing the new draft"
        DONE = "done", "Done"
        FAILED = "failed", "Not imported"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=8)
    dry_run = models.BooleanField()
    competency_depth = models.PositiveSmallIntegerField(null=True, blank=True)
    # The uploaded bytes, in the database (never a public file) until the task has read them.
    content = models.BinaryField(blank=True, editable=False)
    size = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=Status, default=Status.QUEUED)
    # What the import page shows of a result (``background.result_fields``).
    result = models.JSONField(default=dict, blank=True, editable=False)
    framework = models.ForeignKey(
        Framework, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    STEPS = [Status.QUEUED, Status.CHECKING, Status.WRITING, Status.DONE]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def step(self) -> int:
        """How many of the steps are behind it (a failure ends them all)."""
        return len(self.STEPS) - 1 if self.finished else self.STEPS.index(self.status)
