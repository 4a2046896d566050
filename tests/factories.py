from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from members.models import Member


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    name = factory.Faker("name", locale="sv_SE")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        # allauth requires a verified address before sign-in (ACCOUNT_EMAIL_VERIFICATION = mandatory).
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class EventFactory(factory.django.DjangoModelFactory):
    """A published meetup a week from now, unlimited unless capacity is given."""

    class Meta:
        model = "events.Event"

    title = factory.Sequence(lambda n: f"Meetup {n}")
    slug = factory.Sequence(lambda n: f"meetup-{n}")
    kind = "meetup"
    summary = "Vi ses och pratar förnyelse."
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    venue_name = "Stadsbiblioteket"
    address = "Götaplatsen 3"
    city = "Göteborg"
    status = "published"
