"""The Discovery API through sodapy's datasets(): result shape, paging, visibility, limits."""

import pytest
import requests
from sodapy import Socrata

from sandbox_portal import RunningSandbox
from tests.sandbox import SONG_COLUMNS, control


def make_datasets(soda: Socrata, count: int) -> list[str]:
    ids = []
    for number in range(count):
        view = soda.create(f"Dataset {number:03d}", columns=SONG_COLUMNS, tags=["t"])
        ids.append(view["id"])
    return ids


def test_result_set_size_matches_what_the_pages_hold(soda: Socrata, sandbox: RunningSandbox):
    ids = make_datasets(soda, 105)  # more than one default page of 100

    everything = soda.datasets()  # sodapy loops until it holds resultSetSize results
    first = requests.get(
        f"{sandbox.url}/api/catalog/v1",
        params={"domains": "data.ct.gov", "limit": 40, "offset": 80},
        auth=("sandbox-user", "sandbox-secret"),
        timeout=5,
    ).json()

    assert sorted(r["resource"]["id"] for r in everything) == sorted(ids)
    assert first["resultSetSize"] == 105
    assert len(first["results"]) == 25
    # Any `domains` value is accepted; results name the sandbox itself as their domain.
    assert first["results"][0]["metadata"]["domain"] == sandbox.domain


def test_results_carry_the_discovery_fields(soda: Socrata, songs: str, sandbox: RunningSandbox):
    soda.update_metadata(
        songs,
        {
            "category": "Education",
            "tags": ["music"],
            "metadata": {"custom_fields": {"A": {"B": "c"}}},
        },
    )
    soda.publish(songs)
    sandbox.clock.advance(60)
    soda.upsert(songs, [{"song_id": "a"}])

    (result,) = soda.datasets(ids=[songs])

    resource = result["resource"]
    assert resource["id"] == songs
    assert resource["name"] == "Songs"
    assert resource["type"] == "dataset"
    assert resource["columns_field_name"] == ["song_id", "title", "plays"]
    assert resource["page_views"]["page_views_total"] == 0
    assert resource["download_count"] == 0
    assert resource["publication_date"] is not None
    assert resource["data_updated_at"] > resource["metadata_updated_at"]
    assert resource["updatedAt"] == resource["data_updated_at"]
    assert result["classification"]["domain_category"] == "Education"
    assert result["classification"]["domain_tags"] == ["music"]
    assert result["classification"]["domain_metadata"] == [{"key": "A_B", "value": "c"}]
    assert result["permalink"].endswith(f"/d/{songs}")
    assert result["owner"]["display_name"] == "sandbox-user"


def test_filters_by_query_and_type(soda: Socrata):
    soda.create("School enrollment", columns=SONG_COLUMNS, description="Pupils by town")
    roads = soda.create("Road closures", columns=SONG_COLUMNS)
    soda.update_metadata(roads["id"], {"description": None, "tags": None})

    found = soda.datasets(q="pupils")

    assert [r["resource"]["name"] for r in found] == ["School enrollment"]
    assert len(soda.datasets(only=["dataset"])) == 2
    assert soda.datasets(only=["story"]) == []
    assert [r["resource"]["name"] for r in soda.datasets(order="name")] == [
        "Road closures",
        "School enrollment",
    ]


def test_anonymous_callers_see_only_public_published_assets(
    soda: Socrata, anonymous: Socrata, songs: str
):
    hidden = soda.create("Private", columns=SONG_COLUMNS)["id"]
    soda.publish(songs)
    soda.set_permission(songs, "public")

    assert [r["resource"]["id"] for r in anonymous.datasets()] == [songs]
    assert {r["resource"]["id"] for r in soda.datasets()} == {songs, hidden}


@pytest.mark.parametrize(("offset", "limit"), [(9_950, 100), (0, 10_001)])
def test_windows_past_ten_thousand_are_refused(soda: Socrata, offset: int, limit: int):
    with pytest.raises(requests.HTTPError, match=r"(?s)400 Client Error.*must not exceed 10000"):
        soda.datasets(offset=offset, limit=limit)


def test_a_window_ending_at_ten_thousand_is_allowed(soda: Socrata):
    assert soda.datasets(offset=9_900, limit=100) == []


def test_usage_figures_and_dates_can_be_set_for_a_test(soda: Socrata, songs: str, sandbox):
    from tests.sandbox import set_asset

    set_asset(
        sandbox,
        songs,
        data_updated_at="2026-01-02T03:04:05Z",
        metadata_updated_at=1767225600,  # 2026-01-01T00:00:00Z
        page_views_total=27706,
        page_views_last_week=346,
        download_count=12,
    )

    (result,) = soda.datasets(ids=[songs])
    resource = result["resource"]
    assert resource["data_updated_at"] == "2026-01-02T03:04:05.000Z"
    assert resource["metadata_updated_at"] == "2026-01-01T00:00:00.000Z"
    assert resource["page_views"]["page_views_total"] == 27706
    assert resource["page_views"]["page_views_last_week"] == 346
    assert resource["page_views"]["page_views_last_month"] == 0
    # The real API sends log2(1 + n) beside each count.
    assert resource["page_views"]["page_views_last_week_log"] == pytest.approx(8.4388, abs=1e-4)
    assert resource["download_count"] == 12
    view = soda.get_metadata(songs)
    assert (view["viewCount"], view["downloadCount"]) == (27706, 12)
    assert "_sandbox_stats" not in view


def test_setting_usage_figures_refuses_bad_input(songs: str, sandbox):
    name = f"assets/{songs}"

    bad_count = control(sandbox, "POST", name, json={"download_count": -1})
    bad_date = control(sandbox, "POST", name, json={"data_updated_at": "yesterday"})
    unknown = control(sandbox, "POST", name, json={"likes": 3})
    missing = control(sandbox, "POST", "assets/zzzz-zzzz", json={})

    assert [r.status_code for r in (bad_count, bad_date, unknown, missing)] == [400, 400, 400, 404]
    assert "non-negative integer" in bad_count.json()["message"]
    assert "ISO 8601" in bad_date.json()["message"]
