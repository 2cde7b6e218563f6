"""The rules of one item: evaluation failures, privacy treatments, priority."""

import pytest
from django.core.exceptions import ValidationError

from access_plans import services
from access_plans.choices import Intent, Priority, PrivacyTreatment
from tests.access_plans.conftest import item_data


def _create(plan, dataset, ado, **overrides):
    return services.item_create(
        plan=plan, dataset=dataset, data=item_data(**overrides), acting_user=ado
    )


def test_failing_a_condition_needs_a_justification_to_publish(plan_a, datasets_a, ado_a):
    dataset = datasets_a["Licensed child care programs"]
    with pytest.raises(ValidationError) as error:
        _create(plan_a, dataset, ado_a, eval_no_fee=False)
    assert "evaluation_justification" in error.value.message_dict
    item = _create(
        plan_a, dataset, ado_a, eval_no_fee=False, evaluation_justification="Fee waived."
    )
    assert item.failed_conditions == ["No fee is charged for access or use"]


def test_failing_a_condition_is_fine_when_not_publishing(plan_a, datasets_a, ado_a):
    item = _create(
        plan_a,
        datasets_a["Licensed child care programs"],
        ado_a,
        intent=Intent.NOT_PUBLISHABLE,
        eval_owned=False,
        not_publishable_reason="Federal data held under agreement.",
    )
    assert item.intent == Intent.NOT_PUBLISHABLE


def test_not_publishable_needs_the_reason(plan_a, datasets_a, ado_a):
    with pytest.raises(ValidationError) as error:
        _create(plan_a, datasets_a["Licensed child care programs"], ado_a, intent="not_publishable")
    assert "not_publishable_reason" in error.value.message_dict


def test_privacy_flags_require_a_treatment_with_its_detail(plan_a, datasets_a, ado_a):
    dataset = datasets_a["Child care inspections"]
    with pytest.raises(ValidationError) as error:
        _create(plan_a, dataset, ado_a)
    assert "privacy_treatment" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _create(plan_a, dataset, ado_a, privacy_treatment=PrivacyTreatment.SUPPRESS_SMALL_CELLS)
    assert "suppression_threshold" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _create(plan_a, dataset, ado_a, privacy_treatment=PrivacyTreatment.EXCEPTION)
    assert "exception_justification" in error.value.message_dict
    item = _create(
        plan_a,
        dataset,
        ado_a,
        privacy_treatment=PrivacyTreatment.SUPPRESS_SMALL_CELLS,
        suppression_threshold=5,
    )
    assert item.suppression_threshold == 5


def test_no_treatment_needed_without_privacy_flags(plan_a, datasets_a, ado_a):
    item = _create(plan_a, datasets_a["Licensed child care programs"], ado_a)
    assert item.privacy_treatment == ""


@pytest.mark.parametrize(
    ("met", "expected"),
    [
        (0, Priority.LOW),
        (1, Priority.LOW),
        (2, Priority.MEDIUM),
        (3, Priority.MEDIUM),
        (4, Priority.HIGH),
        (5, Priority.HIGH),
    ],
)
def test_priority_is_computed_from_the_criteria(plan_a, datasets_a, ado_a, met, expected):
    names = [
        "crit_goals",
        "crit_state_plan",
        "crit_stakeholders",
        "crit_quality",
        "crit_machine_readable",
    ]
    criteria = {name: index < met for index, name in enumerate(names)}
    item = _create(plan_a, datasets_a["Licensed child care programs"], ado_a, **criteria)
    assert item.priority == expected


def test_priority_override_needs_a_reason(plan_a, datasets_a, ado_a):
    dataset = datasets_a["Licensed child care programs"]
    with pytest.raises(ValidationError) as error:
        _create(plan_a, dataset, ado_a, priority_override=Priority.HIGH)
    assert "priority_override_reason" in error.value.message_dict
    item = _create(
        plan_a,
        dataset,
        ado_a,
        priority_override=Priority.HIGH,
        priority_override_reason="The Governor asked for it.",
    )
    assert item.priority == Priority.HIGH
    assert item.computed_priority() == Priority.MEDIUM


def test_owner_must_belong_to_the_agency(plan_a, datasets_a, ado_a, ado_b, publisher_a):
    dataset = datasets_a["Licensed child care programs"]
    with pytest.raises(ValidationError) as error:
        _create(plan_a, dataset, ado_a, owner=ado_b)
    assert "owner" in error.value.message_dict
    assert _create(plan_a, dataset, ado_a, owner=publisher_a).owner == publisher_a


def test_items_come_from_the_plans_inventory(plan_a, inventory_b, ado_a):
    with pytest.raises(ValidationError):
        _create(plan_a, inventory_b.datasets.get(), ado_a)
