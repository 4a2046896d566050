from datetime import timedelta
from importlib import import_module

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from members.models import Member

STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


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

    @factory.post_generation
    def authenticator(obj, create, extracted, **kwargs):
        # Staff reach the admin only with an authenticator app (members.middleware.StaffMFAMiddleware).
        if create and obj.is_staff and extracted is not False:
            TOTP.activate(obj, STAFF_TOTP_SECRET)


class EditorFactory(MemberFactory):
    """A staff member in the "Redaktörer" group, not a superuser: the one place editors are made."""

    is_staff = True

    @factory.post_generation
    def editors_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(editors_group())


# Each app grants its own permissions to the editors' group in a data migration.
EDITOR_GRANTS = [
    ("events.migrations.0002_grant_editors_event_permissions", "grant"),
    ("interviews.migrations.0002_grant_editors_interview_permissions", "grant_editors"),
]


def editors_group():
    """The "Redaktörer" group as the data migrations made it.

    A transactional test (the browser tests) ends with a flush that removes rows made by data
    migrations; the very same migration code then makes them again (each grant is idempotent).
    """
    from django.apps import apps
    from django.contrib.auth.models import Group

    for module, function in EDITOR_GRANTS:
        getattr(import_module(module), function)(apps, None)
    return Group.objects.get(name="Redaktörer")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interviews.Interview"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Samtal nummer {n} om offentlig förnyelse")
    slug = factory.Sequence(lambda n: f"samtal-{n}")
    introduction = "En kort introduktion till samtalet."
    interviewee_name = factory.Faker("name", locale="sv_SE")
    interviewee_description = "arbetar med förnyelse i offentlig sektor"
    status = "published"
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.add(*extracted)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interviews.Question"

    interview = factory.SubFactory(InterviewFactory)
    order = factory.Sequence(lambda n: n)
    question = factory.Sequence(lambda n: f"Fråga nummer {n}?")
    answer = "Ett svar med **betoning**."


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


def organisers_group():
    """The "Arrangörer" group (the organiser role that reviews proposals) as its data migration made it;
    made again after a transactional test's flush, by the same idempotent code."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    import_module("events.migrations.0009_grant_organiser_role").grant(apps, None)
    return Group.objects.get(name="Arrangörer")


def events_permission(codename: str):
    """One of the events app's own permissions (e.g. "publish_without_review"), made again by the same
    idempotent migration code when a transactional test's flush removed it."""
    from django.contrib.auth.models import Permission

    organisers_group()
    return Permission.objects.get(content_type__app_label="events", codename=codename)
