import factory

from inventories.choices import AccessLevel, Availability, Category, UpdateFrequency
from inventories.models import Dataset, Inventory, default_due_date
from tests.factories import AgencyFactory


class InventoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inventory

    agency = factory.SubFactory(AgencyFactory)
    year = 2026
    due_date = factory.LazyAttribute(lambda inv: default_due_date(inv.year))


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset

    inventory = factory.SubFactory(InventoryFactory)
    agency = factory.SelfAttribute("inventory.agency")
    title = factory.Sequence(lambda n: f"Licensed child care programs {n}")
    description = "Programs licensed by the agency, with their capacity and location."
    data_owner = "Licensing Division"
    contact_email = "data@ct.example"
    criterion_b = True
    criterion_f = True
    access_level = AccessLevel.PUBLIC
    category = Category.EDUCATION
    update_frequency = UpdateFrequency.MONTHLY
    availability = Availability.NOT_AVAILABLE
