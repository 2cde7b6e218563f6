"""Filtering and sorting of the dataset table on the inventory page."""

import django_filters
from django.db.models import Q, QuerySet

from agencies.forms import UswdsFilterForm
from inventories.choices import AccessLevel, Availability, Category, Criterion

SORTS = {
    "title": "Title",
    "access_level": "Access level",
    "category": "Category",
    "update_frequency": "Update frequency",
    "availability": "Available now",
    "updated_at": "Last edited",
}


class DatasetTableFilter(django_filters.FilterSet):
    class Meta:
        form = UswdsFilterForm

    search = django_filters.CharFilter(method="filter_search", label="Search")
    access_level = django_filters.ChoiceFilter(
        choices=AccessLevel.choices, empty_label="Any access level"
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label="Any category")
    criterion = django_filters.ChoiceFilter(
        choices=[(c, f"({c})") for c in Criterion.values],
        method="filter_criterion",
        empty_label="Any criterion",
        label="Criterion",
    )
    availability = django_filters.ChoiceFilter(
        choices=Availability.choices, empty_label="Anywhere", label="Available now"
    )
    sort = django_filters.OrderingFilter(
        fields=[(name, name) for name in SORTS], field_labels=SORTS, label="Sort by"
    )

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(program__icontains=value)
            | Q(tags__icontains=value)
        )

    def filter_criterion(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_criterion(value)
