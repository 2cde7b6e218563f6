"""FilterSets for the public catalog and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from agencies.filters import WholeNumberFilter
from inventories.choices import AccessLevel, Availability, Category, Criterion, InventoryStatus
from inventories.models import Dataset, Inventory

NON_PUBLIC = Q(access_level=AccessLevel.NON_PUBLIC)
# The portal's category names in full ("Environment and Natural Resources", not "Environment").
CATEGORY_NAMES = [(name, name) for name in Category.values]


class DatasetFilter(django_filters.FilterSet):
    """API filters over the datasets the caller may see."""

    agency = django_filters.CharFilter(field_name="agency__slug", label="Agency slug")
    inventory = WholeNumberFilter(field_name="inventory_id", label="Inventory id")
    year = WholeNumberFilter(field_name="inventory__year", label="Inventory year")
    status = django_filters.ChoiceFilter(
        field_name="inventory__status", choices=InventoryStatus.choices, label="Inventory status"
    )
    access_level = django_filters.ChoiceFilter(choices=AccessLevel.choices)
    category = django_filters.ChoiceFilter(choices=CATEGORY_NAMES)
    criterion = django_filters.ChoiceFilter(
        choices=Criterion.choices, method="filter_criterion", label="High-value criterion (A–H)"
    )
    availability = django_filters.ChoiceFilter(choices=Availability.choices)
    search = django_filters.CharFilter(method="filter_search", label="Search title, description")

    class Meta:
        model = Dataset
        fields = [
            "agency",
            "inventory",
            "year",
            "status",
            "access_level",
            "category",
            "criterion",
            "availability",
            "search",
        ]

    def filter_criterion(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_criterion(value)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class InventoryFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="agency__slug", label="Agency slug")
    year = WholeNumberFilter()
    status = django_filters.ChoiceFilter(choices=InventoryStatus.choices)

    class Meta:
        model = Inventory
        fields = ["agency", "year", "status"]
