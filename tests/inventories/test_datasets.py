import pytest
from django.urls import reverse

from inventories.models import Dataset
from tests.inventories.factories import DatasetFactory

VALID = {
    "title": "Foster homes by town",
    "description": "Licensed foster homes, counted by town.",
    "criteria": ["B", "C"],
    "access_level": "public",
    "availability": "not_available",
}


def _url(name, inventory, *args):
    return reverse(f"inventories:{name}", args=[inventory.agency.slug, inventory.year, *args])


def test_publisher_adds_a_dataset_with_history(client, inventory_a, publisher_a):
    client.force_login(publisher_a)
    response = client.post(_url("dataset_create", inventory_a), VALID)
    assert response.status_code == 302
    dataset = inventory_a.datasets.get(title="Foster homes by town")
    assert dataset.criteria == ["B", "C"]
    assert dataset.agency == inventory_a.agency
    assert dataset.history.latest().history_user == publisher_a


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"criteria": []}, "criteria", "This field is required"),
        ({"access_level": "non-public"}, "access_reason", "legal or policy reason"),
        ({"availability": "portal"}, "portal_id", "portal id"),
        ({"availability": "portal", "portal_id": "ABC-12"}, "portal_id", "abcd-1234"),
        ({"title": "licensed CHILD care programs"}, "title", "already lists a dataset"),
        ({"source_link": "javascript:alert(1)"}, "source_link", "Enter a valid URL"),
        ({"category": "Sports"}, "category", "Select a valid choice"),
    ],
)
def test_form_errors_are_shown_next_to_the_field(
    client, inventory_a, ado_a, change, field, message
):
    client.force_login(ado_a)
    before = Dataset.objects.count()
    response = client.post(_url("dataset_create", inventory_a), {**VALID, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'aria-invalid="true"' in response.content.decode()
    assert Dataset.objects.count() == before


def test_inline_validation_returns_one_field_group(client, inventory_a, ado_a):
    client.force_login(ado_a)
    response = client.post(
        _url("dataset_validate", inventory_a),
        {**VALID, "access_level": "non-public", "_field": "access_reason"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith('<div class="usa-form-group usa-form-group--error"')
    assert 'id="group-access_reason"' in body
    assert "legal or policy reason" in body
    assert not inventory_a.datasets.filter(title=VALID["title"]).exists()


def test_inline_validation_rejects_unknown_fields(client, inventory_a, ado_a):
    client.force_login(ado_a)
    response = client.post(_url("dataset_validate", inventory_a), {"_field": "password"})
    assert response.status_code == 400


def test_edit_keeps_the_title_unique_but_allows_its_own(client, inventory_a, ado_a):
    client.force_login(ado_a)
    dataset = inventory_a.datasets.get(title="Licensed child care programs")
    data = {**VALID, "title": "Licensed child care programs", "description": "Updated"}
    response = client.post(_url("dataset_edit", inventory_a, dataset.pk), data)
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.description == "Updated"


def test_delete_removes_from_this_year_only(client, inventory_a, ado_a):
    client.force_login(ado_a)
    dataset = inventory_a.datasets.get(title="Licensed child care programs")
    assert client.post(_url("dataset_delete", inventory_a, dataset.pk)).status_code == 302
    assert not Dataset.objects.filter(pk=dataset.pk).exists()
    assert dataset.history.latest().history_type == "-"


def test_table_filters_and_sorts(client, inventory_a, viewer_a):
    client.force_login(viewer_a)
    url = _url("detail", inventory_a)
    titles = lambda r: [d.title for d in r.context["datasets"]]  # noqa: E731
    assert titles(client.get(url, {"access_level": "non-public"})) == ["Child abuse case files"]
    assert titles(client.get(url, {"criterion": "F"})) == [
        "Child abuse case files",
        "Licensed child care programs",
    ]
    assert titles(client.get(url, {"search": "abuse"})) == ["Child abuse case files"]
    assert titles(client.get(url, {"sort": "-title"}))[0] == "Licensed child care programs"


def test_inventory_page_query_count_is_constant(
    client, inventory_a, ado_a, django_assert_max_num_queries
):
    client.force_login(ado_a)
    url = _url("detail", inventory_a)
    client.get(url)
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    DatasetFactory.create_batch(40, inventory=inventory_a)
    with django_assert_max_num_queries(15) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_year_over_year_page_shows_field_changes(client, inventory_a, ado_a):
    from inventories import services

    new = services.inventory_start(agency=inventory_a.agency, year=2027, acting_user=ado_a)
    kept = new.datasets.get(title="Licensed child care programs")
    services.dataset_update(dataset=kept, data={"update_frequency": "Weekly"}, acting_user=ado_a)
    services.dataset_delete(
        dataset=new.datasets.get(title="Child abuse case files"), acting_user=ado_a
    )
    DatasetFactory(inventory=new, title="Adoption statistics")
    client.force_login(ado_a)
    response = client.get(_url("changes", new))
    changes = response.context["changes"]
    assert [d.title for d in changes.added] == ["Adoption statistics"]
    assert [d.title for d in changes.removed] == ["Child abuse case files"]
    ((_dataset, diffs),) = changes.changed
    assert [(d.label, d.old, d.new) for d in diffs] == [("update frequency", "Monthly", "Weekly")]
    assert "Weekly" in response.content.decode()


def test_metadata_quality_in_the_table_and_on_the_dataset_page(client, inventory_a, viewer_a):
    good = DatasetFactory(
        inventory=inventory_a,
        title="Licensed Foster Homes by Town, 2015 to 2025",
        description=(
            "Foster homes licensed by the Department of Children and Families, counted by town "
            "and year. Source: the agency's licensing system, extracted monthly. Limitations: "
            "homes licensed by private agencies are not included."
        ),
        data_owner="Licensing Division",
        contact_email="licensing@ct.example",
        update_frequency="Monthly",
        row_label="Town and year",
        source_link="https://portal.ct.gov/dcf",
        temporal_coverage="2015-2025",
    )
    bad = DatasetFactory(inventory=inventory_a, title="DCF_LIC_TBL", description="")
    client.force_login(viewer_a)
    rows = {d.pk: d for d in client.get(_url("detail", inventory_a)).context["datasets"]}
    assert rows[good.pk].quality.score == 100
    assert rows[bad.pk].quality.score < 60
    page = client.get(_url("dataset", inventory_a, bad.pk)).content.decode()
    assert "Metadata quality:" in page
    codes = {finding.code for finding in rows[bad.pk].quality.findings}
    assert {"title_underscores", "description_missing"} <= codes
