"""The adapter's operations end to end: create, write in chunks, read, publish, catalog."""

import io

import pytest

from publishing.portal import PortalClient, PortalError, WriteResult
from sandbox_portal import RunningSandbox
from tests.sandbox import SONG_COLUMNS, inject, requests_seen


def test_create_dataset_with_metadata_and_custom_fields(portal: PortalClient):
    custom = {"Common Core": {"Contact Email": "data@ct.gov"}}

    view = portal.create_dataset(
        "Songs",
        columns=SONG_COLUMNS,
        description="Songs played",
        category="Education",
        tags=["music"],
        row_identifier="song_id",
        license_id="PUBLIC_DOMAIN",
        custom_fields=custom,
    )

    stored = portal.get_metadata(view["id"])
    assert stored["publicationStage"] == "unpublished"
    assert stored["metadata"]["custom_fields"] == custom
    assert stored["licenseId"] == "PUBLIC_DOMAIN"
    song_id = next(c["id"] for c in stored["columns"] if c["fieldName"] == "song_id")
    assert stored["rowIdentifierColumnId"] == song_id


def test_upsert_goes_in_chunks_and_sums_the_counts(portal_settings, naps, sandbox: RunningSandbox):
    portal_settings.SOCRATA_CHUNK_SIZE = 3
    with PortalClient(sleep=naps.append) as portal:
        dataset = portal.create_dataset("Songs", columns=SONG_COLUMNS, row_identifier="song_id")
        first = portal.upsert(dataset["id"], ({"song_id": f"s{n}"} for n in range(7)))
        again = portal.upsert(dataset["id"], [{"song_id": "s0", ":deleted": True}])

    assert first == WriteResult(created=7)
    assert again == WriteResult(deleted=1)
    posts = [r for r in requests_seen(sandbox) if r["path"] == f"/resource/{dataset['id']}.json"]
    assert len(posts) == 3 + 1  # 3 + 3 + 1 rows, then the delete


def test_replace_truncates_with_the_first_chunk_only(portal_settings, naps):
    portal_settings.SOCRATA_CHUNK_SIZE = 2
    with PortalClient(sleep=naps.append) as portal:
        dataset = portal.create_dataset("Songs", columns=SONG_COLUMNS, row_identifier="song_id")
        portal.upsert(dataset["id"], [{"song_id": "old"}])
        result = portal.replace(dataset["id"], [{"song_id": f"n{n}"} for n in range(5)])
        rows = portal.get_rows(dataset["id"])

    assert result == WriteResult(created=5)
    assert sorted(row["song_id"] for row in rows) == ["n0", "n1", "n2", "n3", "n4"]


def test_replace_with_no_rows_empties_the_dataset(portal: PortalClient):
    dataset = portal.create_dataset("Songs", columns=SONG_COLUMNS, row_identifier="song_id")
    portal.upsert(dataset["id"], [{"song_id": "a"}])

    assert portal.replace(dataset["id"], []) == WriteResult()
    assert portal.get_rows(dataset["id"]) == []


def test_a_csv_file_upload_is_rewound_when_retried(portal: PortalClient, sandbox, naps):
    dataset = portal.create_dataset("Songs", columns=SONG_COLUMNS, row_identifier="song_id")
    inject(sandbox, status=503, path_prefix="/resource/", method="POST")

    result = portal.upsert(dataset["id"], io.BytesIO(b"song_id,plays\na,1\nb,2\n"))

    assert result == WriteResult(created=2)
    assert len(naps) == 1


def test_iter_rows_pages_in_id_order(portal: PortalClient, sandbox: RunningSandbox):
    dataset = portal.create_dataset("Songs", columns=SONG_COLUMNS, row_identifier="song_id")
    portal.upsert(dataset["id"], [{"song_id": f"s{n:03d}"} for n in range(250)])

    rows = list(portal.iter_rows(dataset["id"], page_size=100))

    assert [row["song_id"] for row in rows] == [f"s{n:03d}" for n in range(250)]
    reads = [r for r in requests_seen(sandbox) if r["method"] == "GET"]
    assert len(reads) == 3


def test_publish_make_public_and_delete(portal: PortalClient, sandbox: RunningSandbox):
    dataset = portal.create_dataset("Songs", columns=SONG_COLUMNS)["id"]

    assert portal.publish(dataset)["publicationStage"] == "published"
    portal.set_public(dataset, True)
    assert portal.get_metadata(dataset)["grants"]
    portal.set_public(dataset, False)
    assert portal.get_metadata(dataset)["grants"] == []
    portal.delete_dataset(dataset)
    with pytest.raises(PortalError, match="HTTP 404"):
        portal.get_metadata(dataset)


def test_delete_row(portal: PortalClient):
    dataset = portal.create_dataset("Songs", columns=SONG_COLUMNS, row_identifier="song_id")["id"]
    portal.upsert(dataset, [{"song_id": "a"}, {"song_id": "b"}])

    portal.delete_row(dataset, "a")

    assert portal.get_rows(dataset) == [{"song_id": "b"}]
    with pytest.raises(ValueError, match="needs a row id"):
        portal.delete_row(dataset, "")
    assert portal.get_metadata(dataset)["id"] == dataset


def test_catalog_pages_through_every_result(portal: PortalClient, sandbox: RunningSandbox):
    ids = {portal.create_dataset(f"D{n}", columns=SONG_COLUMNS)["id"] for n in range(7)}

    found = portal.catalog(page_size=3)
    only_one = portal.catalog(ids=[sorted(ids)[0]])

    assert {result["resource"]["id"] for result in found} == ids
    assert len(found) == 7
    assert [r["resource"]["id"] for r in only_one] == [sorted(ids)[0]]
    catalog_reads = [r for r in requests_seen(sandbox) if r["path"] == "/api/catalog/v1"]
    assert len(catalog_reads) == 3 + 1


def test_working_copy_round_trip(portal: PortalClient):
    dataset = portal.create_dataset("Songs", columns=SONG_COLUMNS, row_identifier="song_id")["id"]
    portal.upsert(dataset, [{"song_id": "a"}])
    portal.publish(dataset)

    copy = portal.create_working_copy(dataset)
    portal.upsert(copy["id"], [{"song_id": "b"}])
    published = portal.publish(copy["id"])

    assert published["id"] == dataset
    assert sorted(row["song_id"] for row in portal.get_rows(dataset)) == ["a", "b"]
