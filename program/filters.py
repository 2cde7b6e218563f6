import django_filters
from django.utils import timezone

from agencies.forms import UswdsFilterForm
from program.models import DataRequest, ReminderKind, ReminderSent, RequesterType, RequestStatus


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


class ReminderFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ReminderKind.choices)
    # Days, not instants: an ISO datetime's offset can be out of PostgreSQL's range (a 500).
    sent_after = django_filters.DateFilter(field_name="sent_at", lookup_expr="date__gte")
    sent_before = django_filters.DateFilter(field_name="sent_at", lookup_expr="date__lte")

    class Meta:
        model = ReminderSent
        fields = ["kind", "sent_after", "sent_before"]
