from django.urls import path

from publishing import views
from publishing.schedules import views as schedule_views

app_name = "publishing"

urlpatterns = [
    path("", views.publication_list, name="list"),
    path("new/", views.publication_create, name="create"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/source/", views.publication_source, name="source"),
    path("<int:pk>/columns/", views.publication_columns, name="columns"),
    path("<int:pk>/publish/", views.run_start, name="run_start"),
    path("<int:pk>/make-public/", views.make_public, name="make_public"),
    path("<int:pk>/access-override/", views.access_override, name="access_override"),
    path("<int:pk>/schedule/", schedule_views.schedule_set, name="schedule_set"),
    path("<int:pk>/schedule/pause/", schedule_views.schedule_pause, name="schedule_pause"),
    path("<int:pk>/schedule/resume/", schedule_views.schedule_resume, name="schedule_resume"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/cancel/", views.run_cancel, name="run_cancel"),
    path(
        "source-checks/<int:pk>/progress/",
        views.source_check_progress,
        name="source_check_progress",
    ),
]
