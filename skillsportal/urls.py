from django.contrib import admin
from django.urls import include, path

from assessments.views import accounts, site

urlpatterns = [
    path("", site.home, name="home"),
    path("healthz", site.healthz, name="healthz"),
    path("account/", include("assessments.account_urls")),
    path("district/", include("assessments.administration_urls")),
    path("assessments/", include("assessments.assessment_urls")),
    path("frameworks/", include("frameworks.urls")),
    path("reports/", include("reports.urls")),
    path("admin/login/", accounts.admin_login),  # before the admin's own: see the view
    path("admin/", admin.site.urls),
]
