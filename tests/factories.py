import factory
from allauth.account.models import EmailAddress

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
