from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessments import views as assessment_views

urlpatterns = [
    path("", assessment_views.home, name="home"),
    path("healthz", assessment_views.healthz, name="healthz"),
    path("signin/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("frameworks/", include("frameworks.urls")),
    path("admin/", admin.site.urls),
]
