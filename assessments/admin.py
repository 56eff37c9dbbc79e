"""
The Django admin for platform admins (superusers): districts, teams, people and their
roles. District admins work in the district pages, not here. Only here are HR and
superintendent granted and revoked (``people.PLATFORM_ROLES``); every change of a
person's roles or of a team's lead is an audit event in the person's (team's) district.
A role, a team and a lead stay within one district: a person without a district (a
platform admin) holds no role. The audit trail is read-only: nobody adds, changes or
deletes an event.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import audit
from .models import AuditEvent, District, RoleGrant, SignInDomain, Team, User


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "district", "lead"]

    def clean(self):
        data = super().clean()
        district, lead = data.get("district"), data.get("lead")
        if district is not None and lead is not None and lead.district_id != district.pk:
            self.add_error("lead", "Choose a person of the team's district.")
        if "district" in self.changed_data and self.instance.pk and self.instance.members.exists():
            self.add_error("district", "The team has members: move them to other teams first.")
        return data


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamForm
    list_display = ["name", "district", "lead"]
    list_filter = ["district"]
    list_select_related = ["district", "lead"]
    search_fields = ["name"]
    autocomplete_fields = ["lead"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "lead" in form.changed_data:
            old = User.objects.filter(pk=form.initial.get("lead")).first()
            audit.record(
                request,
                "team.lead_changed",
                obj=obj,
                district=obj.district,
                via="admin",
                old=old.email if old else "",
                new=obj.lead.email if obj.lead else "",
            )


class RoleGrantFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        held = [form for form in self.forms if form.cleaned_data.get("role")]
        kept = [form for form in held if not form.cleaned_data.get("DELETE")]
        if kept and self.instance.district_id is None:
            raise ValidationError("A person needs a district to hold a district role.")


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    formset = RoleGrantFormSet
    extra = 0


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "district")


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean(self):
        data = super().clean()
        district, team = data.get("district"), data.get("team")
        if team is not None and team.district_id != (district.pk if district else None):
            self.add_error("team", "Choose a team of the person's district.")
        if "district" in self.changed_data:
            for led in self.instance.led_teams.select_related("district"):
                self.add_error(
                    "district", f"Leads {led} of {led.district}: choose another lead there first."
                )
        return data


@admin.register(User)
class PersonAdmin(UserAdmin):
    """Django's user admin, adapted to people who sign in by email and belong to a district."""

    form = PersonChangeForm
    add_form = PersonCreationForm
    inlines = [RoleGrantInline]
    ordering = ["email"]
    list_display = ["email", "full_name", "district", "team", "job_role", "is_active", "is_staff"]
    list_filter = ["district", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["district", "team"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["team"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "district", "team", "job_role"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "district",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def save_related(self, request, form, formsets, change):
        """Save the role grants, and audit what they changed."""
        person = form.instance
        before = set(person.roles.values_list("role", flat=True))
        super().save_related(request, form, formsets, change)
        after = set(person.roles.values_list("role", flat=True))
        if before != after:
            audit.record(
                request,
                "person.roles_changed",
                obj=person,
                district=person.district,
                via="admin",
                added=sorted(after - before),
                removed=sorted(before - after),
            )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, so there is no add, change or delete here."""

    date_hierarchy = "at"
    list_display = ["at", "actor_email", "district", "action", "object_repr", "outcome", "address"]
    list_filter = ["outcome", "district", "action"]
    list_select_related = ["district"]
    search_fields = ["actor_email", "action", "object_repr"]
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignInDomain)
class SignInDomainAdmin(admin.ModelAdmin):
    """A platform admin verifies a district's email domain (e.g. from its DNS TXT record)."""

    list_display = ["domain", "district", "verified_at"]
    list_filter = ["district"]
    search_fields = ["domain"]
    fields = ["domain", "district", "verified_at"]
    readonly_fields = ["verified_at"]
    actions = ["verify"]

    @admin.action(description="Mark the selected domains verified")
    def verify(self, request, queryset):
        for domain in queryset.filter(verified_at__isnull=True):
            domain.verified_at = timezone.now()
            domain.save(update_fields=["verified_at"])
            audit.record(request, "sso.domain_verified", obj=domain, district=domain.district)
