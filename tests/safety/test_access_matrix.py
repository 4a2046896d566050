"""Who may see what: every named URL of the portal, as nine kinds of visitor, with the expected status.

Nothing private is reachable by the wrong person: another member's data, an event's attendee needs and
addresses, the online link before an RSVP is confirmed, a draft or scheduled interview, a private profile
or portrait, someone else's private calendar feed. Staff and the organiser role use their powers only in
a session signed in with a second factor: "staff_password" is staff whose session has none, and is sent
to give it ("2fa"). A new URL name fails `test_every_named_url_is_in_the_matrix` until it is given a row
here. docs/security.md has the same table in words.
"""

import io
import string
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from events.models import Event, EventSeries, Follow, Rsvp
from events.services import schedule, sessions
from events.services.exports import calendar_token_get, calendar_token_rotate
from events.services.follows import follow_create, follow_unsubscribe_token
from events.services.rsvps import rsvp_create
from events.services.series import series_propose
from members.services import member_portrait_set
from tests.factories import EditorFactory, EventFactory, InterviewFactory, MemberFactory, organisers_group
from tests.helpers.endpoints import endpoints
from tests.helpers.photos import photo_upload
from tests.helpers.sessions import force_login_with_second_factor

pytestmark = pytest.mark.django_db

# member: signed in, public profile, going with stated needs; other: a private profile, who proposed
# the pending event; host and cohost host the event; organiser has the organiser role (the group
# Arrangörer) that reviews proposals; editor is staff in Redaktörer; staff a superuser;
# staff_password the same superuser kind, in a session without the second factor.
ROLES = ["anonymous", "member", "other", "host", "cohost", "organiser", "editor", "staff", "staff_password"]
NEEDS = "Behöver rullstolsplats nära scenen"
ONLINE = "https://möte.example.org/otg-hemligt-rum"
PRIVATE_TAG = "Hemlig Grupp"
# Staff and the organiser role use their powers in a session signed in with a second factor.
SECOND_FACTOR_ROLES = {"organiser", "editor", "staff"}


@pytest.fixture
def world():
    member = MemberFactory(name="Maja Medlem", is_public=True)
    other = MemberFactory(name="Olle Annan", is_public=False)
    host = MemberFactory(name="Oda Arrangör", is_public=True)
    editor = EditorFactory(name="Edit Redaktör")
    staff = MemberFactory(name="Stina Personal", is_staff=True, is_superuser=True)
    staff_password = MemberFactory(name="Per Lösenord", is_staff=True, is_superuser=True)
    event = EventFactory(
        title="Hybridfrukost",
        format="hybrid",
        online_url=ONLINE,
        start=timezone.now() + timedelta(minutes=30),
        capacity=10,
    )
    cohost = MemberFactory(name="Cecilia Medvärd")
    organiser = MemberFactory(name="Rut Granskare")
    organiser.groups.add(organisers_group())
    event.organisers.add(host, cohost)
    event.tags.add("klarspråk")
    # A tag only a private profile and a draft carry: no filter may show its name.
    other.interests.add(PRIVATE_TAG)
    rsvp = rsvp_create(event=event, member=member, accessibility_needs=NEEDS, show_publicly=False)
    pending = EventFactory(title="Föreslagen frukost", status="pending", proposed_by=other)
    pending.organisers.add(other)
    now = timezone.now()
    # An unconference with a session placed in a published schedule: every board page has something.
    open_space = EventFactory(title="Öppen yta", kind="unconference")
    open_space.organisers.add(host, cohost)
    session = sessions.session_propose(
        event=open_space, member=member, title="Klarspråk", pitch="Om klarspråk."
    )
    room = sessions.room_create(event=open_space, name="Stora salen", seats=20)
    slot = sessions.slot_create(
        event=open_space, starts=open_space.start, ends=open_space.start + timedelta(hours=1)
    )
    sessions.session_place(session=session, room=room, slot=slot)
    schedule.schedule_publish(event=open_space)
    return {
        "open_space": open_space,
        "series": series_propose(
            event=Event(
                title="Frukostklubben",
                kind="breakfast",
                summary="Första tisdagen varje månad.",
                start=timezone.now() + timedelta(days=10),
                end=timezone.now() + timedelta(days=10, hours=1),
                city="Malmö",
            ),
            member=host,
            frequency=EventSeries.Frequency.MONTHLY,
            count=2,
            trusted=True,
        ),
        "session": session,
        "users": {
            "member": member,
            "other": other,
            "host": host,
            "editor": editor,
            "staff": staff,
            "staff_password": staff_password,
            "cohost": cohost,
            "organiser": organiser,
        },
        "event": event,
        "rsvp": rsvp,
        "pending": pending,
        "published": InterviewFactory(title="Publicerad intervju"),
        "draft": InterviewFactory(
            title="Utkast till intervju", status="draft", published_at=None, tags=[PRIVATE_TAG]
        ),
        "scheduled": InterviewFactory(title="Schemalagd intervju", published_at=now + timedelta(days=3)),
        "token": calendar_token_get(member=member).token,
        "follow": follow_create(member=member, kind="topic", tag_slug="klarspråk"),
    }


def client_for(world, role: str) -> Client:
    client = Client()
    if role in SECOND_FACTOR_ROLES:
        force_login_with_second_factor(client, world["users"][role])
    elif role != "anonymous":
        client.force_login(world["users"][role])
    return client


# What each visitor gets: one status for all, or a status per role. "login" = redirect to sign in,
# "2fa" = redirect to give the second factor (and back), "reauthenticate" = allauth asks the password.
def roles(default, **given) -> dict:
    return dict.fromkeys(ROLES, default) | given


EVERYONE_200 = roles(200)
SIGNED_IN_200 = roles(200, anonymous="login")
POST_ONLY = roles(405, anonymous="login")
ANY_MEMBER = SIGNED_IN_200
# Host tools and the attendee list: the event's hosts, and staff with a second factor.
STAFF_2FA = {"editor": 200, "staff": 200, "staff_password": "2fa"}
HOSTS_AND_STAFF = roles(404, anonymous="login", host=200, cohost=200, **STAFF_2FA)
# The review queue: the organiser role and staff, with a second factor.
REVIEWERS_AND_STAFF = roles(404, anonymous="login", organiser=200, **STAFF_2FA)
# Drafts and scheduled interviews: staff with the interview permission, with a second factor.
EDITORS_ONLY = roles(404, **STAFF_2FA)
# A private profile: its owner, and staff with a second factor.
OWNER_AND_STAFF = roles(404, other=200, **STAFF_2FA)
# A pending proposal's page: whoever hosts it, reviewers and staff.
PENDING_PAGE = roles(404, other=200, organiser=200, **STAFF_2FA)

MATRIX = {
    "home": (lambda w: reverse("home"), EVERYONE_200),
    "about": (lambda w: reverse("about"), EVERYONE_200),
    "accessibility": (lambda w: reverse("accessibility"), EVERYONE_200),
    "privacy": (lambda w: reverse("privacy"), EVERYONE_200),
    "search": (lambda w: reverse("search") + "?q=intervju", EVERYONE_200),
    "welcome": (lambda w: reverse("welcome"), SIGNED_IN_200),
    "topic-list": (lambda w: reverse("topic-list"), EVERYONE_200),
    "topic-detail": (lambda w: reverse("topic-detail", args=["klarspråk"]), EVERYONE_200),
    "healthz": (lambda w: reverse("healthz"), EVERYONE_200),
    "livez": (lambda w: reverse("livez"), EVERYONE_200),
    "robots-txt": (lambda w: reverse("robots-txt"), EVERYONE_200),
    "favicon": (lambda w: reverse("favicon"), dict.fromkeys(ROLES, 302)),
    "django.contrib.sitemaps.views.sitemap": (lambda w: "/sitemap.xml", EVERYONE_200),
    "set_language": (lambda w: reverse("set_language"), dict.fromkeys(ROLES, 302)),
    "members:member-list": (lambda w: reverse("members:member-list"), EVERYONE_200),
    "members:member-detail": (lambda w: w["users"]["other"].get_absolute_url(), OWNER_AND_STAFF),
    "members:profile-edit": (lambda w: reverse("members:profile-edit"), SIGNED_IN_200),
    "members:my-data": (lambda w: reverse("members:my-data"), SIGNED_IN_200),
    "members:data-export": (lambda w: reverse("members:data-export"), SIGNED_IN_200),
    "members:account-delete": (
        lambda w: reverse("members:account-delete"),
        roles("reauthenticate", anonymous="login"),
    ),
    "events:event-list": (lambda w: reverse("events:event-list"), EVERYONE_200),
    "events:event-past": (lambda w: reverse("events:event-past"), EVERYONE_200),
    "events:my-events": (lambda w: reverse("events:my-events"), SIGNED_IN_200),
    "events:public-feed": (lambda w: reverse("events:public-feed"), EVERYONE_200),
    "events:calendar-token-rotate": (lambda w: reverse("events:calendar-token-rotate"), POST_ONLY),
    # The feed's secret token is its only key: with a guessed token nobody gets anything.
    "events:member-feed": (
        lambda w: reverse("events:member-feed", args=["gissat-" + w["token"][:8]]),
        dict.fromkeys(ROLES, 404),
    ),
    "events:event-detail": (lambda w: w["event"].get_absolute_url(), EVERYONE_200),
    "events:event-detail?pending": (lambda w: w["pending"].get_absolute_url(), PENDING_PAGE),
    "events:event-ics": (lambda w: reverse("events:event-ics", args=[w["event"].slug]), EVERYONE_200),
    "events:rsvp-create": (lambda w: reverse("events:rsvp-create", args=[w["event"].slug]), POST_ONLY),
    "events:rsvp-maybe-promote": (
        lambda w: reverse("events:rsvp-maybe-promote", args=[w["event"].slug]),
        POST_ONLY,
    ),
    # GET asks the member with an answer to confirm (or change); anyone else is sent back to the event.
    "events:rsvp-cancel": (
        lambda w: reverse("events:rsvp-cancel", args=[w["event"].slug]),
        roles(302, anonymous="login", member=200),
    ),
    "events:rsvp-update": (
        lambda w: reverse("events:rsvp-update", args=[w["event"].slug]),
        roles(302, anonymous="login", member=200),
    ),
    "events:organiser-attendees": (
        lambda w: reverse("events:organiser-attendees", args=[w["event"].slug]),
        HOSTS_AND_STAFF,
    ),
    "events:organiser-attendees-csv": (
        lambda w: reverse("events:organiser-attendees-csv", args=[w["event"].slug]),
        HOSTS_AND_STAFF,
    ),
    "events:organiser-attendees-xlsx": (
        lambda w: reverse("events:organiser-attendees-xlsx", args=[w["event"].slug]),
        HOSTS_AND_STAFF,
    ),
    "events:follow-list": (lambda w: reverse("events:follow-list"), SIGNED_IN_200),
    "events:follow-create": (lambda w: reverse("events:follow-create"), POST_ONLY),
    "events:follow-delete": (lambda w: reverse("events:follow-delete", args=[w["follow"].pk]), POST_ONLY),
    # The signed key in a mail's unsubscribe link is its only permission: it opens that one follow to
    # anyone holding the mail, signed in or not (RFC 8058); a key we did not sign opens nothing.
    "events:follow-unsubscribe": (
        lambda w: reverse("events:follow-unsubscribe", args=[follow_unsubscribe_token(w["follow"])]),
        EVERYONE_200,
    ),
    "events:event-propose": (lambda w: reverse("events:event-propose"), ANY_MEMBER),
    "events:series-propose": (lambda w: reverse("events:series-propose"), ANY_MEMBER),
    "events:series-detail": (lambda w: w["series"].get_absolute_url(), EVERYONE_200),
    "events:series-resubmit": (
        lambda w: reverse("events:series-resubmit", args=[w["series"].slug]),
        POST_ONLY,
    ),
    "events:review-list": (lambda w: reverse("events:review-list"), REVIEWERS_AND_STAFF),
    "events:review-approve": (
        lambda w: reverse("events:review-approve", args=[w["pending"].slug]),
        POST_ONLY,
    ),
    "events:review-decline": (
        lambda w: reverse("events:review-decline", args=[w["pending"].slug]),
        REVIEWERS_AND_STAFF,
    ),
    "events:event-report": (lambda w: reverse("events:event-report", args=[w["event"].slug]), ANY_MEMBER),
    "events:host-contact": (lambda w: reverse("events:host-contact", args=[w["event"].slug]), ANY_MEMBER),
    "events:host-edit": (lambda w: reverse("events:host-edit", args=[w["event"].slug]), HOSTS_AND_STAFF),
    "events:host-cancel": (lambda w: reverse("events:host-cancel", args=[w["event"].slug]), HOSTS_AND_STAFF),
    "events:host-checkin": (
        lambda w: reverse("events:host-checkin", args=[w["event"].slug]),
        HOSTS_AND_STAFF,
    ),
    "events:host-repeat": (lambda w: reverse("events:host-repeat", args=[w["event"].slug]), HOSTS_AND_STAFF),
    "events:host-message": (
        lambda w: reverse("events:host-message", args=[w["event"].slug]),
        HOSTS_AND_STAFF,
    ),
    "events:cohost-invite": (
        lambda w: reverse("events:cohost-invite", args=[w["event"].slug]),
        HOSTS_AND_STAFF,
    ),
    "events:attendee-remove": (
        lambda w: reverse("events:attendee-remove", args=[w["event"].slug, w["rsvp"].pk]),
        HOSTS_AND_STAFF,
    ),
    # The invitation's token is its only key: a guessed one opens nothing.
    "events:cohost-accept": (
        lambda w: reverse("events:cohost-accept", args=["gissad-inbjudan"]),
        roles(404, anonymous="login"),
    ),
    "events:session-board": (
        lambda w: reverse("events:session-board", args=[w["open_space"].slug]),
        EVERYONE_200,
    ),
    "events:session-propose": (
        lambda w: reverse("events:session-propose", args=[w["open_space"].slug]),
        ANY_MEMBER,
    ),
    "events:my-schedule": (
        lambda w: reverse("events:my-schedule", args=[w["open_space"].slug]),
        SIGNED_IN_200,
    ),
    "events:now-and-next": (
        lambda w: reverse("events:now-and-next", args=[w["open_space"].slug]),
        EVERYONE_200,
    ),
    "events:session-detail": (lambda w: w["session"].get_absolute_url(), EVERYONE_200),
    "events:session-ics": (
        lambda w: reverse("events:session-ics", args=[w["open_space"].slug, w["session"].pk]),
        EVERYONE_200,
    ),
    "events:host-schedule": (
        lambda w: reverse("events:host-schedule", args=[w["open_space"].slug]),
        HOSTS_AND_STAFF,
    ),
    # Its proposer (member), the event's hosts and staff with a second factor.
    "events:session-edit": (
        lambda w: reverse("events:session-edit", args=[w["open_space"].slug, w["session"].pk]),
        roles(404, anonymous="login", member=200, host=200, cohost=200, **STAFF_2FA),
    ),
    "events:session-invite-accept": (
        lambda w: reverse("events:session-invite-accept", args=[w["open_space"].slug, "gissad-inbjudan"]),
        roles(404, anonymous="login"),
    ),
    **{
        f"events:session-{name}": (
            lambda w, name=name: reverse(
                f"events:session-{name}", args=[w["open_space"].slug, w["session"].pk]
            ),
            POST_ONLY,
        )
        for name in ("want", "unwant", "notes", "hide", "invite")
    },
    "interviews:interview-list": (lambda w: reverse("interviews:interview-list"), EVERYONE_200),
    "interviews:feed-rss": (lambda w: reverse("interviews:feed-rss"), EVERYONE_200),
    "interviews:feed-atom": (lambda w: reverse("interviews:feed-atom"), EVERYONE_200),
    "interviews:interview-detail": (lambda w: w["draft"].get_absolute_url(), EDITORS_ONLY),
}

# The filters by tag: a tag in public use for everyone, a tag only private things carry for nobody.
TAG_FILTERS = {
    "events:event-list": reverse("events:event-list"),
    "interviews:interview-list": reverse("interviews:interview-list"),
    "members:member-list": reverse("members:member-list"),
}
for name, path in TAG_FILTERS.items():
    MATRIX[f"{name}?amne=public"] = (lambda w, path=path: path + "?amne=klarspråk", EVERYONE_200)
    MATRIX[f"{name}?amne=private"] = (
        lambda w, path=path: path + "?amne=hemlig-grupp",
        dict.fromkeys(ROLES, 404 if name == "interviews:interview-list" else 200),
    )

# Pages of allauth: the sign-in side for visitors, the account side for members.
SIGN_IN_SIDE = roles(302, anonymous=200)
ACCOUNT_SIDE = roles(200, anonymous="login")
for name in ["account_login", "account_signup", "account_request_login_code"]:
    MATRIX[name] = (lambda w, name=name: reverse(name), SIGN_IN_SIDE)
MATRIX["account_reset_password"] = (lambda w: reverse("account_reset_password"), EVERYONE_200)
for name in ["account_email", "account_change_password", "mfa_index", "usersessions_list"]:
    MATRIX[name] = (lambda w, name=name: reverse(name), ACCOUNT_SIDE)

# Named URLs that need a one-time key or a pending step, covered by the account tests instead.
ELSEWHERE = {
    "account_confirm_email", "account_confirm_login_code", "account_confirm_reauthentication_code",
    "account_email_verification_sent", "account_inactive", "account_logout", "account_reauthenticate",
    "account_request_reauthentication_code", "account_reset_password_done", "account_reset_password_from_key",
    "account_reset_password_from_key_done", "account_set_password", "mfa_activate_totp", "mfa_authenticate",
    "mfa_deactivate_totp", "mfa_download_recovery_codes", "mfa_generate_recovery_codes", "mfa_reauthenticate",
    "mfa_view_recovery_codes", "media",
}  # fmt: skip


def expected_location(status, response) -> bool:
    location = response.headers.get("Location", "")
    if status == "login":
        return response.status_code == 302 and location.startswith(reverse("account_login"))
    if status == "reauthenticate":
        return response.status_code == 302 and location.startswith(reverse("account_reauthenticate"))
    if status == "2fa":
        return response.status_code == 302 and location.startswith(reverse("mfa_reauthenticate") + "?next=")
    return response.status_code == status


def test_every_named_url_is_in_the_matrix():
    named = {e.name for e in endpoints() if ":" in e.name or not e.name.startswith(("admin/", "^"))}
    portal = {name for name in named if not name.startswith("admin:") and "(?P" not in name}
    assert portal - set(MATRIX) - ELSEWHERE == set()


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access_matrix(world, name):
    path_for, expected = MATRIX[name]
    path = path_for(world)
    roles = list(expected)
    answers = {role: client_for(world, role).get(path) for role in roles}
    wrong = {
        role: (answers[role].status_code, answers[role].headers.get("Location"))
        for role in roles
        if not expected_location(expected[role], answers[role])
    }
    assert wrong == {}, f"{name} {path}"


@pytest.mark.parametrize("path", TAG_FILTERS.values())
def test_no_filter_names_a_tag_that_only_private_things_carry(world, path):
    for role in ROLES:
        response = client_for(world, role).get(path + "?amne=hemlig-grupp")
        assert PRIVATE_TAG not in response.content.decode(), role
    assert client_for(world, "staff").get(reverse("topic-detail", args=["hemlig-grupp"])).status_code == 404


def test_scheduled_interview_is_hidden_like_a_draft(world):
    path = world["scheduled"].get_absolute_url()
    answers = {role: client_for(world, role).get(path) for role in ROLES}
    assert [role for role in ROLES if not expected_location(EDITORS_ONLY[role], answers[role])] == []


def test_attendee_needs_are_shown_to_hosts_and_staff_only(world):
    for role in ROLES:
        client = client_for(world, role)
        pages = [
            client.get(world["event"].get_absolute_url()),
            client.get(reverse("events:organiser-attendees", args=[world["event"].slug])),
            client.get(reverse("events:organiser-attendees-csv", args=[world["event"].slug])),
            client.get(reverse("members:data-export")) if role not in ("anonymous", "member") else None,
        ]
        shown = any(NEEDS in page.content.decode("utf-8", "replace") for page in pages if page is not None)
        assert shown == (role in ("host", "cohost", "editor", "staff")), role


def test_attendee_addresses_are_shown_to_staff_with_a_second_factor_only(world):
    """Hosts who are members get names and needs; addresses are for organisers and staff (2FA)."""
    address = world["users"]["member"].email
    slug = world["event"].slug
    for role in ROLES:
        client = client_for(world, role)
        pages = [
            client.get(reverse(name, args=[slug]))
            for name in [
                "events:organiser-attendees",
                "events:organiser-attendees-csv",
                "events:host-checkin",
            ]
        ]
        shown = any(address in page.content.decode("utf-8", "replace") for page in pages)
        assert shown == (role in ("editor", "staff")), role


def test_hosts_see_needs_for_their_own_events_only(world):
    """A host of another event is a member like any other here: no attendee list, no check-in, no needs."""
    elsewhere = EventFactory(title="En annan träff")
    other_host = MemberFactory(name="Harald Annanvärd")
    elsewhere.organisers.add(other_host)
    client = Client()
    client.force_login(other_host)
    slug = world["event"].slug
    pages = [
        client.get(reverse(name, args=[slug]))
        for name in ["events:organiser-attendees", "events:organiser-attendees-csv", "events:host-checkin"]
    ]
    assert [page.status_code for page in pages] == [404, 404, 404]
    assert all(NEEDS not in page.content.decode() for page in pages)
    own = client.get(reverse("events:organiser-attendees", args=[elsewhere.slug]))
    assert own.status_code == 200


def test_online_link_only_for_confirmed_attendees(world):
    other = world["users"]["other"]
    waitlisted = MemberFactory()
    world["event"].capacity = 1
    world["event"].save(update_fields=["capacity"])
    assert rsvp_create(event=world["event"], member=waitlisted).status == Rsvp.Status.WAITLISTED
    seen = {}
    for role, user in [
        ("member", world["users"]["member"]),
        ("other", other),
        ("waitlisted", waitlisted),
        ("anonymous", None),
    ]:
        client = Client()
        if user:
            client.force_login(user)
        seen[role] = ONLINE in client.get(world["event"].get_absolute_url()).content.decode()
    assert seen == {"member": True, "other": False, "waitlisted": False, "anonymous": False}


def test_a_members_data_export_holds_only_their_own_data(world):
    client = client_for(world, "other")
    archive = client.get(reverse("members:data-export"))
    body = b"".join(archive.streaming_content) if archive.streaming else archive.content
    data = zipfile.ZipFile(io.BytesIO(body)).read("data.json").decode()
    assert world["users"]["other"].email in data
    assert world["users"]["member"].email not in data
    assert NEEDS not in data


def test_follows_are_removed_only_by_their_member_or_their_signed_key(world):
    follow = world["follow"]
    for role in ["other", "host", "organiser", "editor", "staff", "staff_password"]:
        response = client_for(world, role).post(reverse("events:follow-delete", args=[follow.pk]))
        assert response.status_code == 404, role
    forged = reverse("events:follow-unsubscribe", args=[f"{follow.pk}:gissad-signatur"])
    assert Client().post(forged).status_code == 404
    assert Follow.objects.filter(pk=follow.pk).exists()
    # The other member's settings list no follow of theirs (klarspråk is still offered to follow).
    page = client_for(world, "other").get(reverse("events:follow-list")).content.decode()
    assert "Ämne: klarspråk" not in page and "Du följer ingenting ännu" in page


def test_private_calendar_feed_opens_only_with_its_own_token(world):
    path = reverse("events:member-feed", args=[world["token"]])
    assert Client().get(path).status_code == 200
    assert "Hybridfrukost" in Client().get(path).content.decode()
    calendar_token_rotate(member=world["users"]["member"])
    assert Client().get(path).status_code == 404


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("admin:index", roles(302, editor=200, staff=200)),
        ("admin:members_member_changelist", roles(302, editor=403, staff=200)),
        ("admin:events_event_changelist", roles(302, editor=200, staff=200)),
        # Series are reviewed there: the review queue's power (staff with a second factor).
        ("admin:events_eventseries_changelist", roles(302, editor=200, staff=200)),
        ("admin:interviews_interview_changelist", roles(302, editor=200, staff=200)),
    ],
)
def test_admin_is_for_staff_and_editors_see_only_their_part(world, url, expected):
    answers = {role: client_for(world, role).get(reverse(url)) for role in ROLES}
    assert {role: answer.status_code for role, answer in answers.items()} == expected
    # Staff without a second factor in this session are asked for it, not shown the sign-in page.
    assert answers["staff_password"].headers["Location"].startswith(reverse("mfa_reauthenticate"))
    assert answers["organiser"].headers["Location"].startswith(reverse("admin:login"))


def test_a_private_members_portrait_by_role(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_portrait_set(member=world["users"]["other"], upload=photo_upload())
    world["users"]["other"].refresh_from_db()
    url = world["users"]["other"].portrait_large.url
    statuses = {role: client_for(world, role).get(url).status_code for role in ROLES}
    # An image, not a page: staff without the second factor get no redirect, just nothing.
    assert statuses == roles(404, other=200, editor=200, staff=200)


# --- Tokens: the only key of a feed, an invitation or an unsubscribe link; a guess opens nothing ----

TOKEN_TEXT = st.text(alphabet=string.ascii_letters + string.digits + "-_:.", min_size=1, max_size=80)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(guess=TOKEN_TEXT)
def test_no_guessed_token_opens_a_feed_an_invitation_or_a_follow(world, guess):
    assume(guess not in {world["token"], follow_unsubscribe_token(world["follow"])})
    member = client_for(world, "member")
    assert Client().get(reverse("events:member-feed", args=[guess])).status_code == 404
    assert member.get(reverse("events:cohost-accept", args=[guess])).status_code == 404
    assert member.post(reverse("events:cohost-accept", args=[guess])).status_code == 404
    assert Client().post(reverse("events:follow-unsubscribe", args=[guess])).status_code == 404
    forged = f"{world['follow'].pk}:{guess}"
    assert Client().post(reverse("events:follow-unsubscribe", args=[forged])).status_code == 404
    assert Follow.objects.filter(pk=world["follow"].pk).exists()
    assert not world["event"].organisers.filter(pk=world["users"]["member"].pk).exists()
