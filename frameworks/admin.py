"""
The Django admin for frameworks: platform admins edit drafts with inlines, publish,
retire and copy versions. A frozen version (one that assessments use) is read-only.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count

from . import services
from .models import (
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


class FrozenAwareMixin:
    """Read-only admin pages for everything that belongs to a frozen framework."""

    def _framework_of(self, obj) -> Framework | None:
        raise NotImplementedError

    def _is_frozen(self, obj) -> bool:
        framework = self._framework_of(obj) if obj is not None else None
        return framework is not None and framework.is_frozen

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._is_frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._is_frozen(obj)

    def has_add_permission(self, request, obj=None):
        args = (request, obj) if isinstance(self, admin.options.InlineModelAdmin) else (request,)
        return super().has_add_permission(*args) and not self._is_frozen(obj)


class FrameworkInline(FrozenAwareMixin, admin.TabularInline):
    """An inline on the framework page; ``obj`` is the framework being edited."""

    extra = 0
    show_change_link = True

    def _framework_of(self, obj):
        return obj


class LevelInline(FrameworkInline):
    model = ProficiencyLevel


class DomainInline(FrameworkInline):
    model = Domain
    # A group's domain comes from a CASE import; a select of every domain would cross frameworks.
    readonly_fields = ["parent"]


class RoleInline(FrameworkInline):
    model = RoleProfile
    fields = ["code", "title"]


@admin.register(Framework)
class FrameworkAdmin(FrozenAwareMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "version", "status", "frozen_at", "competency_count"]
    list_filter = ["status", "slug"]
    search_fields = ["title", "slug", "version"]
    inlines = [LevelInline, DomainInline, RoleInline]
    actions = ["publish", "retire", "new_version"]
    readonly_fields = ["frozen_at"]

    def _framework_of(self, obj):
        return obj

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(competency_total=Count("competencies"))

    @admin.display(description="competencies", ordering="competency_total")
    def competency_count(self, obj):
        return obj.competency_total

    def _run(self, request, queryset, service, done: str):
        for framework in queryset:
            try:
                service(framework=framework)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(request, f"{framework}: {done}.", messages.SUCCESS)

    @admin.action(description="Publish the selected versions")
    def publish(self, request, queryset):
        self._run(request, queryset, services.publish_framework, "published")

    @admin.action(description="Retire the selected versions")
    def retire(self, request, queryset):
        self._run(request, queryset, services.retire_framework, "retired")

    @admin.action(description="Copy into a new draft version")
    def new_version(self, request, queryset):
        for framework in queryset:
            copy = services.copy_framework(framework=framework)
            self.message_user(
                request,
                f"{framework} copied into the draft version {copy.version}.",
                messages.SUCCESS,
            )


class CompetencyPartInline(FrozenAwareMixin, admin.TabularInline):
    """An inline on the competency page; ``obj`` is the competency."""

    extra = 0

    def _framework_of(self, obj):
        return obj.framework


class DescriptorInline(CompetencyPartInline):
    model = LevelDescriptor


class ResourceInline(CompetencyPartInline):
    model = Resource


class CrosswalkInline(CompetencyPartInline):
    model = CrosswalkReference


class IndicatorInline(CompetencyPartInline):
    model = Indicator
    fields = ["code", "statement", "notes", "position", "parent"]
    readonly_fields = ["parent"]


class LineageInline(CompetencyPartInline):
    model = CompetencyLineage


@admin.register(Competency)
class CompetencyAdmin(FrozenAwareMixin, admin.ModelAdmin):
    list_display = ["code", "title", "domain", "framework"]
    list_filter = ["framework", "domain"]
    search_fields = ["code", "title", "description"]
    list_select_related = ["domain", "framework"]
    inlines = [DescriptorInline, ResourceInline, CrosswalkInline, IndicatorInline, LineageInline]

    def _framework_of(self, obj):
        return obj.framework


class TargetInline(FrozenAwareMixin, admin.TabularInline):
    model = RoleTarget
    extra = 0

    def _framework_of(self, obj):
        return obj.framework


@admin.register(RoleProfile)
class RoleProfileAdmin(FrozenAwareMixin, admin.ModelAdmin):
    list_display = ["title", "code", "framework"]
    list_filter = ["framework"]
    inlines = [TargetInline]

    def _framework_of(self, obj):
        return obj.framework


@admin.register(Domain)
class DomainAdmin(FrozenAwareMixin, admin.ModelAdmin):
    list_display = ["code", "title", "framework"]
    list_filter = ["framework"]
    readonly_fields = ["parent"]

    def _framework_of(self, obj):
        return obj.framework
