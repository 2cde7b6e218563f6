import django_filters

from access_plans.choices import Intent, Method, PlanStatus, Priority
from access_plans.models import AccessPlan, PlanItem
from agencies.filters import WholeNumberFilter
from agencies.forms import UswdsFilterForm


class PlanFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="agency__slug", label="Agency (slug)")
    year = WholeNumberFilter()
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = AccessPlan
        form = UswdsFilterForm
        fields = ["agency", "year", "status"]


class PlanItemFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="plan__agency__slug", label="Agency (slug)")
    year = WholeNumberFilter(field_name="plan__year")
    status = django_filters.ChoiceFilter(field_name="plan__status", choices=PlanStatus.choices)
    intent = django_filters.ChoiceFilter(choices=Intent.choices)
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    method = django_filters.ChoiceFilter(choices=Method.choices)

    class Meta:
        model = PlanItem
        form = UswdsFilterForm
        fields = ["agency", "year", "status", "intent", "priority", "method"]
