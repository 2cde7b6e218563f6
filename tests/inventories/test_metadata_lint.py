import pytest

from inventories.metadata_lint import DatasetMetadata, lint_metadata

GOOD = {
    "title": "Accidental Drug Related Deaths in Connecticut, 2012-2018",
    "description": (
        "A listing of each accidental death associated with drug overdose in Connecticut from "
        "2012 to 2018. The source is the Office of the Chief Medical Examiner (OCME), which "
        "compiled the data from death investigations, toxicology results and death "
        "certificates. Limitations: a death is included only when a medical examiner "
        "investigated it, and residence fields may be incomplete."
    ),
    "owner": "Office of the Chief Medical Examiner",
    "contact_email": "ocme.data@ct.gov",
    "update_frequency": "Annually",
    "row_label": "Death",
    "source_link": "https://portal.ct.gov/ocme",
    "license": "Public Domain",
    "temporal_coverage": "2012-01-01/2018-12-31",
    "columns": [
        {"name": "Date", "description": "Date of death, or date reported when unknown"},
        {"name": "Age", "description": "Age in years at death"},
        {"name": "LastUpdated", "description": "Date this row was last changed"},
    ],
    "has_last_updated_column": True,
}


def _with(**changes) -> dict:
    return {**GOOD, **changes}


def test_good_metadata_passes_with_full_score():
    report = lint_metadata(GOOD)
    assert report.findings == []
    assert report.passed
    assert report.score == 100


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("OCME_ADRD_2012_2018", "title_underscores"),
        ("ACCIDENTAL DRUG RELATED DEATHS 2012-2018", "title_all_caps"),
        ("Deaths", "title_too_short"),
        ("ADRD Listing for Connecticut 2012-2018", "title_acronym"),
        (
            "Drug Deaths " + "in Connecticut counties and towns by year and sex " * 3,
            "title_too_long",
        ),
        ("", "title_missing"),
    ],
)
def test_bad_titles_are_flagged_with_a_fix(title, code):
    report = lint_metadata(_with(title=title))
    findings = [finding for finding in report.findings if finding.code == code]
    assert findings, report.codes()
    assert all(finding.fix for finding in findings)
    assert report.score < 100


def test_acronym_explained_in_the_description_is_accepted():
    report = lint_metadata(_with(title="OCME Accidental Drug Related Deaths 2012-2018"))
    assert "title_acronym" not in report.codes()
    report = lint_metadata(_with(title="DMHAS Accidental Drug Related Deaths 2012-2018"))
    assert [f.message for f in report.findings] == ["Acronym 'DMHAS' is not explained."]


def test_description_topics_and_length_are_checked():
    report = lint_metadata(_with(description="Deaths."))
    assert {
        "description_too_short",
        "description_no_source",
        "description_no_method",
        "description_no_limitations",
    } <= report.codes()
    assert "description_missing" in lint_metadata(_with(description="  ")).codes()


def test_each_missing_field_is_reported_and_lowers_the_score():
    empty = lint_metadata({})
    expected = {
        "title_missing", "description_missing", "owner_missing", "contact_email_missing",
        "update_frequency_missing", "row_label_missing", "source_link_missing",
        "license_missing", "temporal_coverage_missing", "columns_missing",
    }  # fmt: skip
    assert expected <= empty.codes()
    assert empty.score < lint_metadata(_with(license="")).score < 100
    assert all(finding.message and finding.fix for finding in empty.findings)


def test_invalid_values_are_reported():
    report = lint_metadata(
        _with(contact_email="ocme", source_link="portal.ct.gov", update_frequency="Sometimes")
    )
    assert {
        "contact_email_invalid",
        "source_link_invalid",
        "update_frequency_unknown",
    } <= report.codes()


def test_columns_without_descriptions_and_missing_last_updated_column():
    columns = [{"name": "Date", "description": "Date of death"}, {"name": "Age"}]
    report = lint_metadata(_with(columns=columns, has_last_updated_column=False))
    assert {"column_description_missing", "last_updated_column_missing"} <= report.codes()
    assert "Age" in next(f.message for f in report.findings if f.item == "columns")
    historical = _with(update_frequency="Not updated (historical only)")
    historical["has_last_updated_column"] = False
    assert "last_updated_column_missing" not in lint_metadata(historical).codes()


def test_person_first_language_suggests_replacements():
    description = GOOD["description"] + " Inmates who died in custody are listed separately."
    columns = [*GOOD["columns"], {"name": "Addict", "description": "Known addict (Y/N)"}]
    report = lint_metadata(_with(description=description, columns=columns))
    fixes = {f.message: f.fix for f in report.findings if f.code == "person_first_language"}
    assert fixes == {
        "Uses 'inmates'.": "Write 'people who are incarcerated' instead.",
        "Uses 'addict'.": "Write 'person with a substance use disorder' instead.",
    }


def test_dataclass_input_is_accepted():
    assert lint_metadata(DatasetMetadata(**GOOD)).score == 100
