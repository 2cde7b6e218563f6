"""The sandbox's Geo Data Portal search (ArcGIS sharing API, ADR 0029) over real HTTP."""

import requests

from tests.sandbox import control

SEARCH = "/sharing/rest/search"


def _search(sandbox, **params) -> requests.Response:
    return requests.get(f"{sandbox.url}{SEARCH}", params={"f": "json", **params}, timeout=5)


def test_the_seeded_items_page_with_arcgis_start_num_and_next_start(sandbox):
    first = _search(sandbox, q="orgid:sandboxGeoOrg", num=3).json()
    last = _search(sandbox, q="orgid:sandboxGeoOrg", num=3, start=first["nextStart"]).json()

    assert (first["total"], first["start"], first["nextStart"], len(first["results"])) == (
        4, 1, 4, 3,
    )  # fmt: skip
    assert (last["start"], last["nextStart"], len(last["results"])) == (4, -1, 1)
    items = first["results"] + last["results"]
    assert {item["title"] for item in items} >= {"State Road Centerlines", "Trail heads"}
    assert all(isinstance(item["modified"], int) for item in items)


def test_items_set_by_the_control_replace_the_seed_until_reset(sandbox):
    items = [{"id": "f" * 32, "title": "Ferries", "modified": 1, "owner": "ctgeo_dot"}]
    control(sandbox, "PUT", "geo/items", json=items).raise_for_status()

    by_owner = _search(sandbox, q="owner:ctgeo_dot").json()
    assert [item["title"] for item in by_owner["results"]] == ["Ferries"]
    sandbox.reset()
    assert _search(sandbox, q="orgid:sandboxGeoOrg").json()["total"] == 4


def test_a_search_without_a_query_term_or_a_bad_item_is_refused(sandbox):
    assert _search(sandbox, q="roads").status_code == 400
    assert _search(sandbox, q="orgid:x", start=0).status_code == 400
    bad = control(sandbox, "PUT", "geo/items", json=[{"id": "nope", "title": "x"}])
    assert bad.status_code == 400
    anonymous = requests.put(f"{sandbox.url}/__sandbox__/geo/items", json=[], timeout=5)
    assert anonymous.status_code == 401


def test_a_seeded_items_hub_page_answers_and_an_unknown_one_is_404(sandbox):
    item_id = _search(sandbox, q="orgid:sandboxGeoOrg").json()["results"][0]["id"]

    found = requests.get(f"{sandbox.url}/datasets/{item_id}_0/about", timeout=5)
    unknown = requests.get(f"{sandbox.url}/datasets/{'9' * 32}", timeout=5)

    assert found.status_code == 200
    assert found.headers["Content-Type"].startswith("text/html")
    assert "<h1>State Road Centerlines</h1>" in found.text
    assert unknown.status_code == 404
