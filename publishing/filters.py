import django_filters

from agencies.filters import WholeNumberFilter
from agencies.forms import UswdsFilterForm
from publishing.models import Kind, Mode, Publication, RunStatus, Visibility


class PublicationFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="agency__slug", label="Agency (slug)")
    dataset = WholeNumberFilter(field_name="dataset_id")
    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label="Any kind")
    mode = django_filters.ChoiceFilter(choices=Mode.choices, empty_label="Any mode")
    visibility = django_filters.ChoiceFilter(
        choices=Visibility.choices, empty_label="Any visibility"
    )
    status = django_filters.ChoiceFilter(
        field_name="last_run__status",
        choices=RunStatus.choices,
        empty_label="Any last run",
        label="Last run",
    )
    portal_id = django_filters.CharFilter()

    class Meta:
        model = Publication
        form = UswdsFilterForm
        fields = ["agency", "dataset", "kind", "mode", "visibility", "status", "portal_id"]
