import datetime

import pytest
from django.utils import timezone

from publishing.models import Publication, Visibility
from tests.publishing.helpers import ocme_dataset


@pytest.fixture
def public(agency_a, publisher_a):
    """A public publication, as if pushed and made public weeks ago (no portal needed)."""
    made_public = timezone.now() - datetime.timedelta(days=60)
    return Publication.objects.create(
        dataset=ocme_dataset(agency_a),
        agency=agency_a,
        portal_id="ocme-2018",
        visibility=Visibility.PUBLIC,
        made_public_at=made_public,
        created_by=publisher_a,
    )
