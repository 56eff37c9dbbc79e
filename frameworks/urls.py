from django.urls import path

from . import views, views_interchange

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", views_interchange.framework_import, name="import"),
    path("import/<int:pk>/", views_interchange.import_detail, name="import_detail"),
    path("<slug:slug>/<str:version>/", views.framework_detail, name="detail"),
    path(
        "<slug:slug>/<str:version>/export/<str:format>/",
        views_interchange.framework_export,
        name="export",
    ),
]
