"""The checklist score each dataset stores, so that state-wide averages are one SQL aggregate."""

import csv
import io

from inventories import services
from inventories.exporting import export_csv
from inventories.importer import commit_import, preview_import
from inventories.quality import dataset_quality


def _stored_and_computed(datasets):
    return [(d.title, d.metadata_score, dataset_quality(d).score) for d in datasets]


def _all_in_step(inventory):
    rows = _stored_and_computed(inventory.datasets.all())
    assert rows
    return all(stored == computed for _, stored, computed in rows)


def test_saving_stores_the_checklist_score_and_edits_change_it(inventory_a):
    dataset = inventory_a.datasets.get(title="Licensed child care programs")
    dataset.description = ""
    dataset.save()
    dataset.refresh_from_db()
    low = dataset.metadata_score
    assert low == dataset_quality(dataset).score

    dataset.description = (
        "Every licensed child care program in Connecticut with its capacity, from the licensing "
        "system; updated monthly; programs closed during the month are removed."
    )
    dataset.row_label = "Program"
    dataset.save(update_fields=["description", "row_label"])
    dataset.refresh_from_db()
    assert dataset.metadata_score > low
    assert dataset.metadata_score == dataset_quality(dataset).score


def test_imported_rows_new_and_changed_store_their_score(inventory_a, ado_a):
    exported = export_csv(inventory_a.datasets.order_by("title")).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    rows[0]["Description"] = "Short."  # a changed row whose score drops
    rows.append(
        {
            "Title": "Foster homes by town",
            "High-value criteria": "B",
            "Access level": "public",
            "Available now": "Not available",
        }
    )
    handle = io.StringIO()
    writer = csv.DictWriter(handle, fieldnames=list(rows[0]), restval="")
    writer.writeheader()
    writer.writerows(rows)
    raw = handle.getvalue().encode()
    preview = preview_import(inventory=inventory_a, raw=raw, filename="f.csv")
    assert preview.ok, [str(e) for e in preview.errors]
    assert sorted(row.status for row in preview.rows) == ["changed", "new", "unchanged"]
    commit_import(inventory=inventory_a, preview=preview, acting_user=ado_a)
    assert inventory_a.datasets.count() == 3
    assert _all_in_step(inventory_a)


def test_a_new_year_carries_the_score_forward(inventory_a, ado_a):
    new = services.inventory_start(agency=inventory_a.agency, year=2027, acting_user=ado_a)
    assert _all_in_step(new)
    assert sorted(new.datasets.values_list("metadata_score", flat=True)) == sorted(
        inventory_a.datasets.values_list("metadata_score", flat=True)
    )
    assert any(new.datasets.values_list("metadata_score", flat=True))
