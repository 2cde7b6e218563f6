"""The sandbox's count of rows (SoQL `count(*)`) and its tally of the row writes it received:
the independent computation the run counters are checked against (ADR 0023)."""

import pytest
import requests
from sodapy import Socrata

from sandbox_portal import RunningSandbox
from tests.sandbox import control, inject, writes_received

SONGS = [{"song_id": str(n), "title": f"Song {n}", "plays": n} for n in range(1, 6)]


def test_count_star_counts_the_rows_matching_the_query(soda: Socrata, songs: str):
    soda.upsert(songs, SONGS)

    assert soda.get(songs, select="count(*) AS n") == [{"n": "5"}]
    assert soda.get(songs, select="count(*)", where="plays > 3") == [{"count": "2"}]


def test_the_tally_counts_acknowledged_writes_truncations_and_unanswered_rows(
    soda: Socrata, songs: str, sandbox: RunningSandbox
):
    soda.upsert(songs, SONGS)
    soda.upsert(songs, [{"song_id": "1", "plays": 9}, {"song_id": "2", ":deleted": True}])
    inject(sandbox, drop=True, after=True, path_prefix="/resource/")  # applied, answer lost
    with pytest.raises(requests.ConnectionError):
        soda.upsert(songs, [{"song_id": "7", "title": "Seven"}])
    inject(sandbox, status=429, path_prefix="/resource/")  # refused: not counted
    with pytest.raises(requests.HTTPError):
        soda.upsert(songs, [{"song_id": "8", "title": "Eight"}])
    soda.replace(songs, SONGS[:2])  # truncates the 5 rows there were

    assert writes_received(sandbox, songs) == {
        "created": 5 + 2,
        "updated": 1,
        "deleted": 1,
        "truncated": 5,
        "errors": 0,
        "unacknowledged_rows": 1,
    }
    control(sandbox, "DELETE", "writes").raise_for_status()
    assert writes_received(sandbox, songs)["created"] == 0
