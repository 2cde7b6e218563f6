"""A database built with the migrations of before the apps split (ADR 0013), with a row in every
moved table, migrates to today's state without losing one: privacy's and upkeep's models take
over publishing's tables, accounts takes over the former api_tokens table, and their content
types move with them."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import ApiToken
from privacy.models import PrivacyException, PrivacyScreen, SuppressionJob
from upkeep.models import PortalAsset, PortalSync, Retirement

BEFORE_THE_SPLIT = [("publishing", "0009_run_enqueued_at"), ("accounts", None)]
NOW = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)
MOVED = {
    "privacy": [
        "privacyscreen",
        "privacyexception",
        "historicalprivacyexception",
        "suppressionjob",
    ],
    "upkeep": ["portalasset", "historicalportalasset", "portalsync", "retirement"],
}


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _as_before_the_split() -> None:
    """The content types as the old apps left them: publishing's and api_tokens' labels."""
    for app, models in MOVED.items():
        for model in models:
            ContentType.objects.filter(app_label=app, model=model).delete()
            ContentType.objects.get_or_create(app_label="publishing", model=model)
    ContentType.objects.filter(app_label="accounts", model="apitoken").delete()
    ContentType.objects.get_or_create(app_label="api_tokens", model="apitoken")


def _old_rows(old) -> dict[str, int]:
    """One row in each moved table, written through the models of before the split."""
    user = old.get_model("auth", "User").objects.create(username="olga")
    agency = old.get_model("agencies", "Agency").objects.create(
        name="Department of Old", acronym="DOO", slug="old"
    )
    inventory = old.get_model("inventories", "Inventory").objects.create(
        agency=agency, year=2025, due_date=datetime.date(2025, 12, 31)
    )
    dataset = old.get_model("inventories", "Dataset").objects.create(
        inventory=inventory, agency=agency, title="Old roads"
    )
    publication = old.get_model("publishing", "Publication").objects.create(
        dataset=dataset, agency=agency, created_by=user, portal_id="abcd-1234"
    )
    screen = old.get_model("publishing", "PrivacyScreen").objects.create(
        publication=publication, status="succeeded", verdict="high", k=1
    )
    exception = old.get_model("publishing", "PrivacyException").objects.create(
        publication=publication, screen=screen, justification="Aggregated.", requested_by=user
    )
    job = old.get_model("publishing", "SuppressionJob").objects.create(
        publication=publication, by=["County"], status="succeeded"
    )
    asset = old.get_model("publishing", "PortalAsset").objects.create(
        portal_id="abcd-1234", name="Old roads", first_seen_at=NOW, last_seen_at=NOW, agency=agency
    )
    sync = old.get_model("publishing", "PortalSync").objects.create(status="succeeded")
    retirement = old.get_model("publishing", "Retirement").objects.create(
        publication=publication, agency=agency, criterion="outdated", reason="Old.", started_by=user
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO api_tokens_apitoken (name, prefix, key_digest, created_at, user_id) "
            "VALUES (%s, %s, %s, %s, %s)",
            ["Nightly", "ctodp_Ab3xYz", "f" * 64, NOW, user.pk],
        )
    return {
        "screen": screen.pk,
        "exception": exception.pk,
        "job": job.pk,
        "asset": asset.pk,
        "sync": sync.pk,
        "retirement": retirement.pk,
        "user": user.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_of_before_the_split_keeps_every_row():
    executor = _migrate(BEFORE_THE_SPLIT)
    applied = [key for key in executor.loader.applied_migrations if key[0] != "accounts"]
    assert ("privacy", "0001_initial") not in applied
    old = executor.loader.project_state(applied).apps
    assert "api_tokens_apitoken" in connection.introspection.table_names()  # kept, as in old DBs
    _as_before_the_split()
    ids = _old_rows(old)

    _migrate(executor.loader.graph.leaf_nodes())

    screen = PrivacyScreen.objects.get(pk=ids["screen"])
    assert (screen.verdict, screen.k, screen.publication.portal_id) == ("high", 1, "abcd-1234")
    exception = PrivacyException.objects.get(pk=ids["exception"])
    assert (exception.screen_id, exception.justification) == (screen.pk, "Aggregated.")
    assert SuppressionJob.objects.get(pk=ids["job"]).by == ["County"]
    assert PortalAsset.objects.get(pk=ids["asset"]).agency.slug == "old"
    assert PortalSync.objects.get(pk=ids["sync"]).status == "succeeded"
    retirement = Retirement.objects.get(pk=ids["retirement"])
    assert (retirement.reason, retirement.started_by_id) == ("Old.", ids["user"])
    token = ApiToken.objects.get(user_id=ids["user"])
    assert (token.name, token.prefix) == ("Nightly", "ctodp_Ab3xYz")
    for app, models in MOVED.items():
        for model in models:
            assert ContentType.objects.filter(app_label=app, model=model).exists()
            assert not ContentType.objects.filter(app_label="publishing", model=model).exists()
    assert ContentType.objects.get_for_model(ApiToken).app_label == "accounts"
    assert not ContentType.objects.filter(app_label="api_tokens").exists()
