"""A plan as XLSX and as a printable page."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from access_plans import services


def test_xlsx_opens_and_neutralises_formulas(client, ado_a, filled_plan_a):
    item = filled_plan_a.items.get(dataset__title="Licensed child care programs")
    services.item_update(
        item=item, data={"update_process": '=HYPERLINK("http://evil")'}, acting_user=ado_a
    )
    client.force_login(ado_a)
    response = client.get(reverse("access_plans:export_xlsx", args=["alpha", 2026]))
    assert response["Content-Disposition"] == 'attachment; filename="alpha-2026-access-plan.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    by_title = {row[0]: dict(zip(header, row, strict=True)) for row in rows[3:]}
    assert set(by_title) == {
        "Licensed child care programs",
        "Child care inspections",
        "Subsidy payments",
    }
    assert by_title["Licensed child care programs"]["Update process"] == (
        '\'=HYPERLINK("http://evil")'
    )
    assert by_title["Child care inspections"]["Privacy treatment"] == "Aggregate"
    assert by_title["Subsidy payments"]["Free of legal, contract or policy restrictions"] == "no"


def test_printable_page_lists_every_item(client, ado_a, filled_plan_a):
    client.force_login(ado_a)
    page = client.get(reverse("access_plans:print", args=["alpha", 2026])).content.decode()
    assert "<nav" not in page
    for title in ("Licensed child care programs", "Child care inspections", "Subsidy payments"):
        assert title in page
    assert "Aggregate: town × year" in page
