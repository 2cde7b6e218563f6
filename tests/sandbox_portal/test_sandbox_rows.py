"""Row writes and reads through sodapy: upsert, replace, CSV, single rows, SoQL, paging."""

import io

import pytest
import requests
from sodapy import Socrata

from sandbox_portal import RunningSandbox
from tests.sandbox import SONG_COLUMNS, requests_seen


def report(created=0, updated=0, deleted=0, errors=0, by_rowid=0) -> dict[str, int]:
    return {
        "Rows Created": created,
        "Rows Updated": updated,
        "Rows Deleted": deleted,
        "Errors": errors,
        "By RowIdentifier": by_rowid,
        "By SID": 0,
    }


def test_upsert_counts_creates_updates_and_deletes(soda: Socrata, songs: str):
    first = soda.upsert(songs, [{"song_id": "a", "plays": 1}, {"song_id": "b", "plays": 2}])
    payload = [
        {"song_id": "a", "plays": 10},
        {"song_id": "b", ":deleted": True},
        {"song_id": "c", "title": "Sea"},
    ]

    second = soda.upsert(songs, payload)

    assert first == report(created=2)
    assert second == report(created=1, updated=1, deleted=1, by_rowid=2)
    assert soda.get(songs, order="song_id") == [
        {"song_id": "a", "plays": "10"},
        {"song_id": "c", "title": "Sea"},
    ]


def test_rerunning_an_upsert_changes_nothing_and_counts_the_missing_delete(
    soda: Socrata, songs: str
):
    soda.upsert(songs, [{"song_id": "a"}, {"song_id": "b"}])
    payload = [{"song_id": "a", "plays": 5}, {"song_id": "b", ":deleted": True}]
    soda.upsert(songs, payload)
    rows_before = soda.get(songs, order="song_id")

    again = soda.upsert(songs, payload)

    # The docs' example: a re-run updates what exists and counts the vanished row as an error.
    assert again["Rows Updated"] == 1
    assert again["Rows Created"] == 0
    assert again["Errors"] == 1
    assert soda.get(songs, order="song_id") == rows_before


def test_upsert_keeps_fields_not_sent_and_null_clears_a_field(soda: Socrata, songs: str):
    soda.upsert(songs, [{"song_id": "a", "title": "Alpha", "plays": 3}])

    soda.upsert(songs, [{"song_id": "a", "plays": 4}])
    assert soda.get(songs) == [{"song_id": "a", "title": "Alpha", "plays": "4"}]
    soda.upsert(songs, [{"song_id": "a", "title": None}])
    assert soda.get(songs) == [{"song_id": "a", "plays": "4"}]


def test_without_row_identifier_upsert_appends(soda: Socrata):
    view = soda.create("Log", columns=SONG_COLUMNS)

    soda.upsert(view["id"], [{"song_id": "a"}])
    result = soda.upsert(view["id"], [{"song_id": "a"}])

    assert result["Rows Created"] == 1
    assert soda.get(view["id"]) == [{"song_id": "a"}, {"song_id": "a"}]


def test_replace_truncates_before_inserting(soda: Socrata, songs: str):
    soda.upsert(songs, [{"song_id": "old1"}, {"song_id": "old2"}])

    result = soda.replace(songs, [{"song_id": "new", "plays": 1}])

    assert result["Rows Created"] == 1
    assert result["Rows Updated"] == 0
    assert soda.get(songs) == [{"song_id": "new", "plays": "1"}]


def test_csv_upsert_handles_deleted_and_empty_cells(soda: Socrata, songs: str):
    soda.upsert(songs, [{"song_id": "a", "title": "Alpha"}, {"song_id": "b", "title": "Beta"}])
    body = b"song_id,title,plays,:deleted\na,,7,false\nb,,,true\nc,Gamma,1,\n"

    result = soda.upsert(songs, io.BytesIO(body))

    assert result == report(created=1, updated=1, deleted=1, by_rowid=2)
    assert soda.get(songs, order="song_id") == [
        {"song_id": "a", "plays": "7"},  # the empty title cell set it to null
        {"song_id": "c", "title": "Gamma", "plays": "1"},
    ]


def test_a_bad_value_rejects_the_whole_payload_naming_row_and_column(soda: Socrata, songs: str):
    payload = [{"song_id": "a", "plays": 1}, {"song_id": "b", "plays": "many"}]

    with pytest.raises(requests.HTTPError, match="Row 2, column 'plays'"):
        soda.upsert(songs, payload)
    with pytest.raises(requests.HTTPError, match="no column named 'colour'"):
        soda.upsert(songs, [{"song_id": "c", "colour": "red"}])

    assert soda.get(songs) == []


def test_payload_without_content_type_is_read_as_json(
    soda: Socrata, songs: str, sandbox: RunningSandbox
):
    result = soda.upsert(songs, [{"song_id": "a"}])

    # sodapy sends dict and list payloads with no Content-Type header at all.
    (upsert,) = [r for r in requests_seen(sandbox) if r["method"] == "POST"][-1:]
    assert upsert["path"] == f"/resource/{songs}.json"
    assert upsert["content_type"] is None
    assert upsert["status"] == 200
    assert result["Rows Created"] == 1
    assert soda.get(songs) == [{"song_id": "a"}]


def test_single_rows_can_be_read_and_deleted(soda: Socrata, songs: str):
    soda.upsert(songs, [{"song_id": "a", "title": "Alpha"}, {"song_id": "b"}])

    row = soda._perform_request("get", f"/resource/{songs}/a.json")
    response = soda.delete(songs, row_id="a")

    assert row == {"song_id": "a", "title": "Alpha"}
    assert response.status_code == 200
    assert soda.get(songs) == [{"song_id": "b"}]
    with pytest.raises(requests.HTTPError, match="404"):
        soda.delete(songs, row_id="a")


def test_reads_filter_order_select_and_page(soda: Socrata, songs: str):
    soda.upsert(songs, [{"song_id": f"s{n}", "plays": n, "title": "x"} for n in range(1, 13)])

    assert soda.get(songs, where="plays > 10 AND title = 'x'", select="song_id") == [
        {"song_id": "s11"},
        {"song_id": "s12"},
    ]
    assert soda.get(songs, order="plays DESC", limit=2, select="plays") == [
        {"plays": "12"},
        {"plays": "11"},
    ]
    assert soda.get(songs, song_id="s3") == [{"song_id": "s3", "plays": "3", "title": "x"}]
    assert soda.get(songs, order=":id", offset=10, select="song_id") == [
        {"song_id": "s11"},
        {"song_id": "s12"},
    ]
    assert len(soda.get(songs)) == 12


def test_get_all_pages_until_a_short_page(soda: Socrata, songs: str, sandbox: RunningSandbox):
    soda.upsert(songs, [{"song_id": f"s{n:04d}"} for n in range(2500)])
    soda._perform_request("delete", "/__sandbox__/requests")

    rows = list(soda.get_all(songs, order=":id"))

    assert [row["song_id"] for row in rows] == [f"s{n:04d}" for n in range(2500)]
    reads = [r for r in requests_seen(sandbox) if r["method"] == "GET"]
    assert len(reads) == 3  # 1000 + 1000 + 500


def test_default_limit_is_one_thousand(soda: Socrata, songs: str):
    soda.upsert(songs, [{"song_id": f"s{n}"} for n in range(1001)])

    assert len(soda.get(songs)) == 1000


def test_csv_reads_and_system_fields(soda: Socrata, songs: str):
    soda.upsert(songs, [{"song_id": "a", "plays": 2}])

    table = soda.get(songs, content_type="csv")
    with_system = soda.get(songs, exclude_system_fields=False)

    assert table == [["song_id", "title", "plays"], ["a", "", "2"]]
    assert with_system[0][":id"].startswith("row-")
    assert with_system[0][":created_at"][:2] == "20"


def test_unknown_columns_in_queries_are_a_400(soda: Socrata, songs: str):
    with pytest.raises(requests.HTTPError, match="No such column: colour"):
        soda.get(songs, where="colour = 'red'")
    with pytest.raises(requests.HTTPError, match="No such column: colour"):
        soda.get(songs, colour="red")
