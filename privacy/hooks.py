"""privacy's part in the apps below it (publishing/extensions.py, inventories/extensions.py): the
make-public gate, the privacy panel of the publication page, the screens on the dataset page."""

from __future__ import annotations

from django.http import HttpRequest

from agencies import permissions
from inventories import extensions as inventory_extensions
from inventories.models import Dataset
from privacy import services
from privacy.forms import ScreenForm
from publishing import extensions
from publishing.models import Publication


def page_context(request: HttpRequest, publication: Publication) -> dict:
    return {"screen": publication.privacy_screens.first(), "screen_form": ScreenForm()}


def dataset_page_context(request: HttpRequest, dataset: Dataset) -> dict:
    """The dataset's publications with their latest privacy screen."""
    publications = permissions.visible_publications(request.user).filter(
        dataset__uid=dataset.uid, agency_id=dataset.agency_id
    )
    screened = [(p, p.privacy_screens.first()) for p in publications.order_by("pk")]
    return {"screened_publications": screened}


def register() -> None:
    inventory_extensions.dataset_page_context.append(dataset_page_context)
    extensions.public_checks.append(services.check_privacy_gate)
    extensions.page_context.append(page_context)
