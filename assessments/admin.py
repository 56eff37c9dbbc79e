"""
The Django admin for platform admins (superusers): districts, teams, people and their
roles. District admins work in the district pages, not here. The audit trail is
read-only: nobody adds, changes or deletes an event.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import AuditEvent, District, RoleGrant, Team, User


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "lead"]
    list_filter = ["district"]
    list_select_related = ["district", "lead"]
    search_fields = ["name"]
    autocomplete_fields = ["lead"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "district")


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


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
