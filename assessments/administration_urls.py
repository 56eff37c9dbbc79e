"""The district administration pages (namespace "administration", under /district/): people, teams, roster import, sign-in settings and the audit trail (district admins)."""

from django.urls import path

from .views import administration, sign_in_settings

app_name = "administration"

urlpatterns = [
    path("people/", administration.people_list, name="people"),
    path("people/add/", administration.person_add, name="person_add"),
    path("people/<int:pk>/", administration.person_edit, name="person_edit"),
    path("people/<int:pk>/deactivate/", administration.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", administration.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/invite/", administration.person_invite, name="person_invite"),
    path("teams/", administration.team_list, name="teams"),
    path("teams/add/", administration.team_add, name="team_add"),
    path("teams/<int:pk>/", administration.team_edit, name="team_edit"),
    path("roster/", administration.roster_upload, name="roster"),
    path("roster/preview/", administration.roster_preview, name="roster_preview"),
    path("roster/template.csv", administration.roster_template, name="roster_template"),
    path("roster/<int:pk>/", administration.roster_imported, name="roster_imported"),
    path("audit/", administration.audit_list, name="audit"),
    path("sign-in/", sign_in_settings.edit, name="sign_in"),
]
