from django.urls import path

from .views import (
    competency,
    dashboard,
    district,
    exports,
    finalize,
    hr,
    individual,
    jobs,
    own_data,
    team,
)

app_name = "reports"

urlpatterns = [
    # Individual reports (reports/views/individual.py)
    path("assessments/<int:pk>/", individual.individual, name="individual"),
    path("assessments/<int:pk>/pdf/", individual.individual_pdf, name="individual_pdf"),
    # The reviewer's finalize confirmation (reports/views/finalize.py)
    path("assessments/<int:pk>/finalize/", finalize.finalize, name="finalize"),
    # HR (reports/views/hr.py)
    path("official/", hr.official_list, name="hr_list"),
    # HR's whole-cycle exports (reports/views/exports.py)
    path("exports/", exports.export_list, name="export_list"),
    path("exports/cycle/<int:cycle_pk>/", exports.export_create, name="export_create"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/status/", exports.export_status, name="export_status"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    # Reports rendered in the background (reports/views/jobs.py)
    path("jobs/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", jobs.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", jobs.job_download, name="job_download"),
    # Team and district reports (reports/views/team.py, reports/views/district.py)
    path("teams/<int:pk>/", team.team_report, name="team"),
    path("teams/<int:pk>/pdf/", team.team_report_pdf, name="team_pdf"),
    path("teams/<int:pk>/reports/", team.team_reports_zip, name="team_reports"),
    path("teams/<int:pk>/csv/", team.team_report_csv, name="team_csv"),
    path("teams/<int:pk>/xlsx/", team.team_report_xlsx, name="team_xlsx"),
    path("district/", district.district_report, name="district"),
    path("district/pdf/", district.district_report_pdf, name="district_pdf"),
    # The superintendent's dashboard, and one competency across the district or a team
    # (reports/views/dashboard.py, reports/views/competency.py)
    path("dashboard/", dashboard.district_dashboard, name="dashboard"),
    path("competencies/<int:pk>/", competency.competency_report, name="competency"),
    # Own data (reports/views/own_data.py)
    path("my-data/", own_data.own_data, name="own_data"),
]
