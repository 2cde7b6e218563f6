import django_filters

from agencies.models import Agency
from sharing.models import Agreement, AgreementStatus


class AgreementFilter(django_filters.FilterSet):
    agency = django_filters.ModelChoiceFilter(
        field_name="parties", queryset=Agency.objects.order_by("name"), to_field_name="slug"
    )
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices)
    with_opm = django_filters.BooleanFilter(label="OPM is a party")
    search = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title")

    class Meta:
        model = Agreement
        fields = ["agency", "status", "with_opm", "search"]
