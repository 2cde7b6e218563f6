"""Uploaded sources (ADR 0017): hostile workbooks and wide CSVs are refused before parsing,
quickly, with a message naming the limit; the size is enforced while the body streams in;
refused and replaced files leave nothing in storage; the page never parses the file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from publishing import services
from tests.hostile_files import wide_csv, xlsx_bomb, xlsx_claiming_rows, xlsx_without_dimension
from tests.publishing.helpers import OCME, ocme_dataset, ocme_upload


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def publication(media, agency_a, publisher_a):
    return services.publication_create(dataset=ocme_dataset(agency_a), acting_user=publisher_a)


def _stored(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def _attach(publication, user, path: Path):
    return services.publication_attach_source(
        publication=publication, acting_user=user, file=_upload(path)
    )


@pytest.mark.parametrize(
    ("build", "limit"),
    [
        (xlsx_bomb, r"expands more than 100 times.*CTODP_XLSX_MAX_RATIO"),
        (xlsx_claiming_rows, r"1,500,000 rows; the limit is 1,000,000 \(CTODP_UPLOAD_MAX_ROWS\)"),
        (wide_csv, r"100,000 columns; the limit is 1,000 \(CTODP_UPLOAD_MAX_COLUMNS\)"),
    ],
)
def test_a_hostile_file_is_refused_quickly_and_leaves_nothing(
    tmp_path, media, publication, publisher_a, build, limit
):
    hostile = build(tmp_path)
    started = time.process_time()  # CPU seconds: load on the machine does not count
    with pytest.raises(ValidationError, match=limit):
        _attach(publication, publisher_a, hostile)
    assert time.process_time() - started < 2
    assert _stored(media) == []


def test_a_workbook_that_expands_past_the_total_is_refused(
    tmp_path, settings, media, publication, publisher_a
):
    settings.CTODP_XLSX_MAX_RATIO = 10_000
    settings.CTODP_XLSX_MAX_UNCOMPRESSED_BYTES = 10 << 20
    with pytest.raises(ValidationError) as refused:
        _attach(publication, publisher_a, xlsx_bomb(tmp_path, megabytes=20))
    assert refused.value.messages == [
        "The workbook expands to more than 10.0\xa0MB when opened, the limit "
        "(CTODP_XLSX_MAX_UNCOMPRESSED_MB). Split it, or upload it as CSV."
    ]
    assert _stored(media) == []


def test_a_workbook_without_a_declared_size_stops_at_the_row_cap(
    tmp_path, settings, media, publication, publisher_a
):
    settings.CTODP_UPLOAD_MAX_ROWS = 100
    with pytest.raises(ValidationError, match=r"limit is 100 \(CTODP_UPLOAD_MAX_ROWS\)"):
        _attach(publication, publisher_a, xlsx_without_dimension(tmp_path, rows=150))
    assert _stored(media) == []


def test_a_source_refused_after_it_was_stored_is_deleted(media, publication, publisher_a):
    clash = SimpleUploadedFile("clash.csv", b"A B,a-b\n1,2\n")  # two headers, one field name
    with pytest.raises(ValidationError, match="'a_b'"):
        services.publication_attach_source(
            publication=publication, acting_user=publisher_a, file=clash
        )
    assert _stored(media) == []


def test_a_replaced_file_is_deleted_once_the_new_source_commits(
    media, publication, publisher_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_attach_source(
            publication=publication, acting_user=publisher_a, file=ocme_upload("first.csv")
        )
    first = _stored(media)
    assert len(first) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.publication_attach_source(
            publication=publication, acting_user=publisher_a, file=ocme_upload("second.csv")
        )
        assert len(_stored(media)) == 2  # the old one stays until the new one holds
    assert callbacks
    assert [path.name for path in _stored(media)] == ["second.csv"]


def test_an_upload_over_the_limit_is_stopped_while_it_streams(
    client, settings, media, publication, publisher_a
):
    settings.CTODP_MAX_UPLOAD_BYTES = 64 * 1024
    client.force_login(publisher_a)
    big = SimpleUploadedFile("big.csv", OCME.read_bytes() * 40)
    assert big.size > 4 * settings.CTODP_MAX_UPLOAD_BYTES
    answer = client.post(reverse("publishing:source", args=[publication.pk]), {"file": big})
    page = client.get(answer.url).content.decode()
    assert "The file is too large: the limit is 64.0\xa0KB." in page
    assert _stored(media) == []
    publication.refresh_from_db()
    assert publication.source_kind == ""


def test_the_publication_page_never_parses_the_source(
    client, media, publication, publisher_a, django_assert_max_num_queries
):
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload()
    )
    publication.refresh_from_db()
    publication.source_file.storage.delete(publication.source_file.name)  # nothing to parse
    client.force_login(publisher_a)
    page = client.get(publication.get_absolute_url())
    assert page.status_code == 200
    assert "residencecity" in page.content.decode()  # the stored detected columns
