"""The public catalog's filters."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from catalog import selectors
from inventories.choices import AccessLevel, Category
from inventories.models import Dataset

NON_PUBLIC = Q(access_level=AccessLevel.NON_PUBLIC)
# The portal's category names in full ("Environment and Natural Resources", not "Environment").
CATEGORY_NAMES = [(name, name) for name in Category.values]


def _agency_choices() -> list[tuple[str, str]]:
    return [(agency.slug, agency.name) for agency in selectors.catalog_agencies()]


def _year_choices() -> list[tuple[int, str]]:
    return [(year, str(year)) for year in selectors.catalog_years()]


class CatalogFilter(django_filters.FilterSet):
    """The public catalog's filters. A non-public dataset discloses only its title, agency,
    access level and reason, so only those can match: category and description searches skip it
    (else probing the filters would reveal what the listing hides)."""

    agency = django_filters.ChoiceFilter(
        field_name="agency__slug",
        choices=_agency_choices,
        empty_label="All agencies",
        label="Agency",
    )
    year = django_filters.ChoiceFilter(
        field_name="inventory__year", choices=_year_choices, empty_label="All years"
    )
    category = django_filters.ChoiceFilter(
        choices=CATEGORY_NAMES, method="filter_category", empty_label="All categories"
    )
    access_level = django_filters.ChoiceFilter(
        choices=AccessLevel.choices, empty_label="All access levels", label="Access level"
    )
    search = django_filters.CharFilter(method="filter_search", label="Search titles and text")
    uid = django_filters.UUIDFilter(widget=forms.HiddenInput)

    class Meta:
        model = Dataset
        fields = ["agency", "year", "category", "access_level", "search", "uid"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "usa-select" if is_select else "usa-input"

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(category=value).exclude(NON_PUBLIC)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        described = Q(description__icontains=value) & ~NON_PUBLIC
        return queryset.filter(Q(title__icontains=value) | described)
