from django.core.management import call_command

from access_plans.models import AccessPlan, PlanVersion


def test_seed_demo_adds_a_plan_in_every_state(db):
    call_command("seed_demo")
    counts = (AccessPlan.objects.count(), PlanVersion.objects.count())
    call_command("seed_demo")
    assert (AccessPlan.objects.count(), PlanVersion.objects.count()) == counts
    states = {(p.agency.slug, p.status, p.version) for p in AccessPlan.objects.all()}
    assert {(slug, status) for slug, status, _ in states} == {
        ("ocme", "approved"),
        ("ocme", "draft"),
        ("dph", "in_review"),
        ("dot", "changes_requested"),
        ("dot", "submitted"),
    }
    assert ("dot", "submitted", 2) in states
    assert AccessPlan.objects.needing_privacy_treatment().exists()
