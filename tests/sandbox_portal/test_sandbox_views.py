"""Views through sodapy: create, publish, permissions, metadata and its timestamps (SODA.md §5)."""

import pytest
import requests
from sodapy import Socrata

from sandbox_portal import RunningSandbox
from tests.sandbox import SONG_COLUMNS


def test_create_returns_an_unpublished_view_with_its_row_identifier(soda: Socrata):
    view = soda.create(
        "Songs", description="d", columns=SONG_COLUMNS, row_identifier="song_id", tags=["music"]
    )

    assert view["publicationStage"] == "unpublished"
    song_id = next(c for c in view["columns"] if c["fieldName"] == "song_id")
    assert view["rowIdentifierColumnId"] == song_id["id"]
    assert view["metadata"]["rowIdentifier"] == song_id["id"]
    assert [c["position"] for c in view["columns"]] == [1, 2, 3]
    assert all(isinstance(c["id"], int) for c in view["columns"])
    assert [c["renderTypeName"] for c in view["columns"]] == ["text", "text", "number"]
    assert view["tags"] == ["music"]
    assert soda.get_metadata(view["id"])["rowIdentifierColumnId"] == song_id["id"]


def test_create_refuses_a_row_identifier_that_is_not_a_column(soda: Socrata):
    with pytest.raises(requests.HTTPError, match="rowIdentifier 'nope' does not name a column"):
        soda.create("Songs", columns=SONG_COLUMNS, row_identifier="nope")


def test_publish_makes_the_view_published(soda: Socrata, songs: str):
    published = soda.publish(songs)

    assert published["publicationStage"] == "published"
    assert soda.get_metadata(songs)["publicationStage"] == "published"


def test_set_permission_controls_anonymous_reads(soda: Socrata, anonymous: Socrata, songs: str):
    soda.upsert(songs, [{"song_id": "s1", "title": "One"}])
    with pytest.raises(requests.HTTPError, match="403 Client Error"):
        anonymous.get(songs)

    response = soda.set_permission(songs, "public")

    assert response.status_code == 200
    assert response.text == ""  # sodapy hands back the bare Response for empty bodies
    assert anonymous.get(songs) == [{"song_id": "s1", "title": "One"}]
    assert soda.get_metadata(songs)["grants"][0]["flags"] == ["public"]
    soda.set_permission(songs, "private")
    with pytest.raises(requests.HTTPError, match="You must be logged in to access this resource"):
        anonymous.get_metadata(songs)


def test_update_metadata_is_partial_and_keeps_the_row_identifier(soda: Socrata, songs: str):
    custom = {"Common Core": {"Contact Email": "data@ct.gov"}}

    view = soda.update_metadata(
        songs, {"description": "New", "metadata": {"custom_fields": custom}}
    )

    assert view["description"] == "New"
    assert view["name"] == "Songs"  # keys not sent are kept
    assert view["metadata"]["custom_fields"] == custom
    assert view["metadata"]["rowIdentifier"] == view["rowIdentifierColumnId"]
    assert soda.get_metadata(songs)["metadata"]["custom_fields"] == custom


def test_update_metadata_moves_only_the_metadata_timestamp(
    soda: Socrata, songs: str, sandbox: RunningSandbox
):
    soda.upsert(songs, [{"song_id": "s1"}])
    before = soda.get_metadata(songs)
    sandbox.clock.advance(120)

    after = soda.update_metadata(songs, {"category": "Education"})

    assert after["viewLastModified"] >= before["viewLastModified"] + 120
    assert after["rowsUpdatedAt"] == before["rowsUpdatedAt"]
    sandbox.clock.advance(120)
    soda.upsert(songs, [{"song_id": "s2"}])
    final = soda.get_metadata(songs)
    assert final["rowsUpdatedAt"] >= before["rowsUpdatedAt"] + 240
    assert final["viewLastModified"] == after["viewLastModified"]


def test_update_metadata_rejects_a_bad_payload_without_changing_the_view(soda: Socrata, songs: str):
    with pytest.raises(requests.HTTPError, match="tags must be a list of strings"):
        soda.update_metadata(songs, {"name": "Renamed", "tags": "music"})

    assert soda.get_metadata(songs)["name"] == "Songs"


def test_missing_view_answers_not_found(soda: Socrata):
    with pytest.raises(requests.HTTPError) as caught:
        soda.get_metadata("abcd-2345")

    body = caught.value.response.json()
    assert caught.value.response.status_code == 404
    assert body["code"] == "not_found"
    assert body["error"] is True
    assert body["data"] == {"id": "abcd-2345"}


def test_delete_removes_the_view_and_its_rows(soda: Socrata, songs: str):
    soda.upsert(songs, [{"song_id": "s1"}])

    response = soda.delete(songs)

    assert response.status_code == 200
    with pytest.raises(requests.HTTPError, match="404"):
        soda.get_metadata(songs)
    with pytest.raises(requests.HTTPError) as caught:
        soda.get(songs)
    assert caught.value.response.json()["code"] == "dataset.missing"


def test_working_copy_publishes_over_its_original(soda: Socrata, songs: str):
    soda.upsert(songs, [{"song_id": "s1", "title": "Old"}])
    soda.publish(songs)
    path = f"/api/views/{songs}/publication.json"

    copy = soda._perform_request("post", path, params={"method": "copy"})
    soda.upsert(copy["id"], [{"song_id": "s1", "title": "New"}, {"song_id": "s2"}])
    soda.update_metadata(copy["id"], {"description": "Edited in the copy"})

    assert copy["publicationStage"] == "unpublished"
    assert copy["modifyingViewUid"] == songs
    assert soda.get(songs) == [{"song_id": "s1", "title": "Old"}]
    published = soda.publish(copy["id"])
    assert published["id"] == songs
    assert published["description"] == "Edited in the copy"
    assert soda.get(songs, order="song_id") == [
        {"song_id": "s1", "title": "New"},
        {"song_id": "s2"},
    ]
    with pytest.raises(requests.HTTPError, match="404"):
        soda.get_metadata(copy["id"])
