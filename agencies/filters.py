from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

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


@extend_schema_field(OpenApiTypes.INT)
class WholeNumberFilter(django_filters.NumberFilter):
    """An id or a year: a whole number the database can compare. Anything else (1.5, -5e57,
    2**70) is a 400 with a message, not a database overflow."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
