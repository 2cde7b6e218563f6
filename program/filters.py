import django_filters
from django.utils import timezone

from agencies.forms import UswdsFilterForm
from program.models import DataRequest, RequesterType, RequestStatus


class DataRequestFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="agency__slug", label="Agency (slug)")
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    requester_type = django_filters.ChoiceFilter(choices=RequesterType.choices)
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Open and past due")

    class Meta:
        model = DataRequest
        form = UswdsFilterForm
        fields = ["agency", "status", "requester_type"]

    def filter_overdue(self, queryset, name, value):
        overdue = DataRequest.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)
