from django.urls import path

from program import reminder_views

app_name = "reminders"

urlpatterns = [
    path("", reminder_views.my_reminders, name="mine"),
    path("notices/", reminder_views.notices_log, name="notices"),
]
