"""Uploads through the storage API (ADR 0024): CTODP_STORAGE=s3 builds a django-storages S3
configuration; with an S3-compatible server (moto's, over real HTTP on loopback) a publication's
uploaded source is stored in the bucket, not on this disk, and a run reads it from there and
pushes exactly its rows to the sandbox portal."""

from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from ctodp.settings.operations import default_storage
from publishing import services, sources
from publishing.models import RunStatus
from tests.publishing.helpers import (
    expected_rows,
    ocme_dataset,
    ocme_records,
    portal_rows,
    ready_publication,
)
from tests.sandbox import PASSWORD, USERNAME

S3_ENV = {
    "CTODP_S3_BUCKET": "ctodp-uploads",
    "CTODP_S3_REGION": "us-east-1",
    "CTODP_S3_ACCESS_KEY_ID": "test-key",
    "CTODP_S3_SECRET_ACCESS_KEY": "test-secret",
    "CTODP_S3_PREFIX": "media",
}


@pytest.fixture
def s3_env(monkeypatch):
    for name, value in S3_ENV.items():
        monkeypatch.setenv(name, value)


def test_s3_settings_build_a_storage_django_storages_accepts(s3_env, monkeypatch):
    monkeypatch.setenv("CTODP_S3_ENDPOINT_URL", "https://s3.example.invalid")

    config = default_storage("s3")

    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    storage = S3Storage(**config["OPTIONS"])  # an unknown option would raise here
    assert (storage.bucket_name, storage.endpoint_url, storage.location) == (
        "ctodp-uploads",
        "https://s3.example.invalid",
        "media",
    )
    assert storage.default_acl is None
    assert storage.querystring_auth is True
    assert storage.file_overwrite is False


def test_s3_without_a_bucket_is_refused(monkeypatch):
    monkeypatch.delenv("CTODP_S3_BUCKET", raising=False)

    with pytest.raises(ImproperlyConfigured, match="CTODP_S3_BUCKET"):
        default_storage("s3")


def test_an_unknown_storage_kind_is_refused():
    with pytest.raises(ImproperlyConfigured, match="filesystem or s3"):
        default_storage("ftp")


def test_the_filesystem_is_the_default():
    assert default_storage("filesystem") == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


@pytest.fixture
def s3(s3_env, monkeypatch, settings, tmp_path):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    monkeypatch.setenv("CTODP_S3_ENDPOINT_URL", endpoint)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket="ctodp-uploads")
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    settings.STORAGES = {**settings.STORAGES, "default": default_storage("s3")}
    yield client
    server.stop()


def test_an_uploaded_source_lives_in_the_bucket_and_a_run_reads_it_from_there(
    s3, portal_settings, sandbox, agency_a, publisher_a, django_capture_on_commit_callbacks
):
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket="ctodp-uploads")["Contents"]]
    assert f"media/{publication.source_file.name}" in keys
    assert not Path(portal_settings.MEDIA_ROOT).exists()
    rows = sum(len(chunk) for chunk in sources.read_chunks(publication, 100))
    assert rows == len(ocme_records())

    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(publication=publication, acting_user=publisher_a)
    run.refresh_from_db()

    assert run.status == RunStatus.SUCCEEDED, run.error
    publication.refresh_from_db()
    pushed = portal_rows(sandbox.domain, publication.portal_id, USERNAME, PASSWORD)
    assert {row["id"]: row for row in pushed} == expected_rows(ocme_records())
