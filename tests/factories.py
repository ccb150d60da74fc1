from datetime import timedelta

import factory
from django.utils import timezone
from stdnum.co import nit

from accounts.models import User
from firms.models import Company, CompanyAccess, CompanyMember, Country, Workspace, WorkspaceMember


def valid_nit(number: int) -> tuple[str, str]:
    base = str(number)
    return base, nit.calc_check_digit(base)


def valid_nits(start: int, count: int) -> list[str]:
    """`count` NITs written with their check digit ("904000000-1"), from `start` on."""
    return [f"{n}-{valid_nit(n)[1]}" for n in range(start, start + count)]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Persona {n}")
    password = factory.PostGenerationMethodCall("set_password", "clave-segura-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Contadores Asociados {n}")
    country = Country.CO
    trial_ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=15))


class WorkspaceMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkspaceMember

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = WorkspaceMember.Role.OWNER


class CompanyFactory(factory.django.DjangoModelFactory):
    """A company row; its schema is not provisioned (status pending)."""

    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Empresa de Prueba {n} S.A.S.")
    country = Country.CO
    tax_id = factory.Sequence(lambda n: str(700_000_000 + n))
    check_digit = factory.LazyAttribute(lambda o: valid_nit(int(o.tax_id))[1] if o.country == "CO" else "")
    sector = "G"


class CompanyAccessFactory(factory.django.DjangoModelFactory):
    """A workspace's access to a company (active by default). A pending one is a LinkRequestFactory."""

    class Meta:
        model = CompanyAccess

    workspace = factory.SubFactory(WorkspaceFactory)
    company = factory.SubFactory(CompanyFactory)
    status = CompanyAccess.Status.ACTIVE
    activated_at = factory.LazyAttribute(
        lambda o: (
            timezone.now()
            if o.status in (CompanyAccess.Status.ACTIVE, CompanyAccess.Status.REVOKED)
            else None
        )
    )


class LinkRequestFactory(factory.django.DjangoModelFactory):
    """A link request ("Añadir cliente"): a pending access with the name and NIT typed, and no company."""

    class Meta:
        model = CompanyAccess

    workspace = factory.SubFactory(WorkspaceFactory)
    company = None
    status = CompanyAccess.Status.PENDING
    name = factory.Sequence(lambda n: f"Solicitud {n} S.A.S.")
    country = Country.CO
    tax_id = factory.Sequence(lambda n: str(650_000_000 + n))
    check_digit = factory.LazyAttribute(lambda o: valid_nit(int(o.tax_id))[1] if o.country == "CO" else "")
    requested_at = factory.LazyFunction(timezone.now)


class CompanyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyMember

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
    role = CompanyMember.Role.OWNER
