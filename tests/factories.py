import factory
from django.contrib.auth.models import Group, User

from agencies.models import Agency, Branch, Membership, Participation, Role, StaffGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@ct.example")
    password = factory.django.Password("pw-for-tests")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Department of Testing {n}")
    acronym = factory.Sequence(lambda n: f"DT{n}")
    slug = factory.Sequence(lambda n: f"dept-testing-{n}")
    branch = Branch.EXECUTIVE
    participation = Participation.REQUIRED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.PUBLISHER


def staff_user(username: str, group: StaffGroup) -> User:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=group.value)[0])
    return user
