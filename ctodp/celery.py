"""The Celery application. Tasks live in each app's tasks.py and stay thin (see STYLE.md)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctodp.settings.local")

app = Celery("ctodp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="ctodp.ping", ignore_result=False)
def ping() -> str:
    """Answers "pong": used by health checks and the worker integration test."""
    return "pong"
