"""District pages: people, teams, roster import and the audit trail (district admins)."""

from django.urls import path

from .views import district, sign_in_settings

app_name = "district"

urlpatterns = [
    path("people/", district.people_list, name="people"),
    path("people/add/", district.person_add, name="person_add"),
    path("people/<int:pk>/", district.person_edit, name="person_edit"),
    path("people/<int:pk>/deactivate/", district.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", district.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/invite/", district.person_invite, name="person_invite"),
    path("teams/", district.team_list, name="teams"),
    path("teams/add/", district.team_add, name="team_add"),
    path("teams/<int:pk>/", district.team_edit, name="team_edit"),
    path("roster/", district.roster_upload, name="roster"),
    path("roster/preview/", district.roster_preview, name="roster_preview"),
    path("roster/template.csv", district.roster_template, name="roster_template"),
    path("roster/<int:pk>/", district.roster_imported, name="roster_imported"),
    path("audit/", district.audit_list, name="audit"),
    path("sign-in/", sign_in_settings.edit, name="sign_in"),
]
