import datetime

import factory

from sharing.models import Agreement, AgreementStatus


class AgreementFactory(factory.django.DjangoModelFactory):
    """An agreement in force; pass parties=[...], datasets=[...], contributors=[...]."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Agreement {n}")
    purpose = "Evaluate program outcomes across agencies."
    legal_basis = "CGS §4-67o; the parties' enabling statutes."
    security_terms = "Encrypted at rest; named analysts only; destroyed at the end of the term."
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2027, 12, 31)
    status = AgreementStatus.IN_FORCE

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            self.parties.set(extracted)

    @factory.post_generation
    def datasets(self, create, extracted, **kwargs):
        if create and extracted:
            self.datasets.set(extracted)

    @factory.post_generation
    def contributors(self, create, extracted, **kwargs):
        if create and extracted:
            self.contributors.set(extracted)
