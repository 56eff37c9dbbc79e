from django.urls import path

from .views import cycles, rating, records, review

app_name = "assessments"

urlpatterns = [
    path("<int:pk>/", records.detail, name="detail"),
    path("<int:pk>/rate/", rating.rate, name="rate"),
    path("<int:pk>/rate/<str:step>/", rating.rate_step, name="rate_step"),
    path("<int:pk>/autosave/", rating.autosave, name="autosave"),
    path("<int:pk>/submit/", rating.submit, name="submit"),
    path("<int:pk>/review/", review.review, name="review"),
    path("<int:pk>/acknowledge/", records.acknowledge, name="acknowledge"),
    path("<int:pk>/plan/", records.plan, name="plan"),
    path("cycles/", cycles.cycle_list, name="cycles"),
    path("cycles/new/", cycles.cycle_new, name="cycle_new"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/add/", cycles.cycle_add_participant, name="cycle_add"),
    path("cycles/<int:pk>/add-newcomers/", cycles.cycle_add_newcomers, name="cycle_add_newcomers"),
    path("cycles/<int:pk>/close/", cycles.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/reopen/", cycles.cycle_reopen, name="cycle_reopen"),
]
