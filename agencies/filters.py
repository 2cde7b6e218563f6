import django_filters
from django.db.models import Q, QuerySet

from agencies.forms import UswdsFilterForm
from agencies.models import Agency, Branch, Participation


class AgencyFilter(django_filters.FilterSet):
    branch = django_filters.ChoiceFilter(choices=Branch.choices, empty_label="Any branch")
    participation = django_filters.ChoiceFilter(
        choices=Participation.choices, empty_label="Any participation"
    )
    search = django_filters.CharFilter(method="filter_search", label="Search")

    class Meta:
        model = Agency
        form = UswdsFilterForm
        fields = ["branch", "participation", "search"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(acronym__iexact=value))
