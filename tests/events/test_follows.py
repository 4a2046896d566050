"""Following topics and cities: the buttons, the settings page, the mail when a matching event is
published (each follower once, even when the fan-out runs twice), one-click unsubscribe (RFC 8058)
without signing in, and follows in the data export and account deletion."""

import email
import email.policy
import io
import json
import re
import zipfile

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from events.models import Event, Follow, FollowNotification
from events.services.events import event_publish
from events.services.follows import (
    UNSUBSCRIBE_SALT,
    follow_create,
    follow_digests_send,
    follow_from_token,
    followers_notify,
)
from members.services import member_delete
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _draft(**kwargs) -> Event:
    event = EventFactory(status=Event.Status.DRAFT, city="Umeå", **kwargs)
    event.tags.add("ledarskap")
    return event


def _publish(event, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        event_publish(event=event)


def _follow_topic(member, frequency=Follow.Frequency.AT_ONCE) -> Follow:
    EventFactory().tags.add("ledarskap")  # the topic exists
    return follow_create(member=member, kind="topic", tag_slug="ledarskap", frequency=frequency)


def _unsubscribe_path(mail) -> str:
    header = mail.extra_headers["List-Unsubscribe"]
    match = re.fullmatch(r"<https?://[^/]+(/evenemang/avregistrera/[^>]+/)>", header)
    assert match, header
    return match.group(1)


# --- Following ------------------------------------------------------------------------------------


def test_topic_page_follow_button_creates_follow_without_javascript(client):
    member = MemberFactory()
    EventFactory().tags.add("ledarskap")
    client.force_login(member)
    page = client.get(reverse("topic-detail", args=["ledarskap"])).content.decode()
    assert "Följ ämnet" in page
    response = client.post(
        reverse("events:follow-create"),
        {"kind": "topic", "tag": "ledarskap", "frequency": "weekly", "next": "/amnen/ledarskap/"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/amnen/ledarskap/"
    follow = Follow.objects.get(member=member)
    assert (follow.kind, follow.tag.slug, follow.frequency) == ("topic", "ledarskap", "weekly")
    page = client.get(reverse("topic-detail", args=["ledarskap"])).content.decode()
    assert "Sluta följa" in page


@pytest.mark.parametrize("target", ["ledarskap", "events:follow-list", "a:b"])
def test_follow_next_that_is_no_path_follows_and_answers_a_redirect_not_500(client, target):
    member = MemberFactory()
    EventFactory().tags.add("ledarskap")
    client.force_login(member)
    response = client.post(
        reverse("events:follow-create"),
        {"kind": "topic", "tag": "ledarskap", "frequency": "weekly", "next": target},
    )
    assert response.status_code == 302
    assert Follow.objects.filter(member=member, tag__slug="ledarskap").exists()


def test_city_follow_button_only_on_a_city_filtered_list(client):
    member = MemberFactory()
    EventFactory(city="Umeå")
    client.force_login(member)
    assert 'name="kind" value="city"' not in client.get(reverse("events:event-list")).content.decode()
    page = client.get(reverse("events:event-list"), {"city": "Umeå"}).content.decode()
    assert 'name="city" value="Umeå"' in page
    client.post(reverse("events:follow-create"), {"kind": "city", "city": "umeå", "frequency": "at_once"})
    assert Follow.objects.get(member=member).city == "Umeå"


def test_following_twice_keeps_one_follow_and_changes_frequency(client):
    member = MemberFactory()
    _follow_topic(member)
    follow_create(member=member, kind="topic", tag_slug="ledarskap", frequency="weekly")
    assert list(Follow.objects.values_list("frequency", flat=True)) == ["weekly"]


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "topic", "tag": "finns-inte", "frequency": "at_once"},
        {"kind": "city", "city": "Atlantis", "frequency": "at_once"},
        {"kind": "city", "city": "Umeå", "frequency": "hourly"},
        {"kind": "planet", "frequency": "at_once"},
    ],
)
def test_bad_follow_is_refused_with_a_message_and_changes_nothing(client, data):
    EventFactory(city="Umeå")
    client.force_login(MemberFactory())
    response = client.post(reverse("events:follow-create"), data, follow=True)
    assert response.status_code == 200
    assert "message-error" in response.content.decode()
    assert Follow.objects.count() == 0


def test_settings_page_lists_follows_and_unfollow_removes_only_own(client):
    member, other = MemberFactory(), MemberFactory()
    mine = _follow_topic(member)
    theirs = follow_create(member=other, kind="topic", tag_slug="ledarskap")
    client.force_login(member)
    page = client.get(reverse("events:follow-list")).content.decode()
    assert "Ämne: ledarskap" in page
    assert client.post(reverse("events:follow-delete", args=[theirs.pk])).status_code == 404
    client.post(reverse("events:follow-delete", args=[mine.pk]))
    assert list(Follow.objects.all()) == [theirs]
    assert "Du följer ingenting ännu" in client.get(reverse("events:follow-list")).content.decode()


# --- The mail when a matching event is published --------------------------------------------------


def test_publishing_mails_each_follower_once_with_one_click_unsubscribe(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.SITE_URL = "https://otg.example.se"
    both = MemberFactory(email="both@example.org", preferred_language="sv")
    topic_only = MemberFactory(email="topic@example.org")
    _follow_topic(both)
    EventFactory(city="Umeå")
    follow_create(member=both, kind="city", city="Umeå")
    _follow_topic(topic_only)
    MemberFactory(email="nobody@example.org")  # follows nothing: gets nothing
    weekly = MemberFactory(email="weekly@example.org")
    _follow_topic(weekly, frequency=Follow.Frequency.WEEKLY)
    event = _draft(title="Frukost i Umeå")
    mailoutbox.clear()

    _publish(event, django_capture_on_commit_callbacks)

    assert sorted(mail.to[0] for mail in mailoutbox) == ["both@example.org", "topic@example.org"]
    mail = next(mail for mail in mailoutbox if mail.to == ["both@example.org"])
    assert "Frukost i Umeå" in mail.subject
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.extra_headers["List-Unsubscribe"].startswith(
        "<https://otg.example.se/evenemang/avregistrera/"
    )
    assert "https://otg.example.se/evenemang/folj/" in mail.body
    assert "Ett nytt evenemang i Umeå, som du följer" in mail.body  # why they get it
    topic_mail = next(mail for mail in mailoutbox if mail.to == ["topic@example.org"])
    assert "ledarskap" in topic_mail.body
    assert set(FollowNotification.objects.values_list("member__email", flat=True)) == {
        "both@example.org",
        "topic@example.org",
    }


def test_a_line_break_in_a_stored_title_never_reaches_the_follow_mails_headers(
    django_capture_on_commit_callbacks, mailoutbox
):
    # A title stored before the forms folded line breaks: the mail's subject stays one line,
    # so no header can be added through it.
    _follow_topic(MemberFactory())
    event = _draft(title="Frukost\r\nBcc: victim@example.org")
    _publish(event, django_capture_on_commit_callbacks)
    (mail,) = mailoutbox
    assert "\n" not in mail.subject and "\r" not in mail.subject
    parsed = email.message_from_bytes(mail.message().as_bytes(), policy=email.policy.default)
    assert parsed["Bcc"] is None
    assert "victim@example.org" in parsed["Subject"]


def test_fan_out_run_twice_sends_nothing_more(django_capture_on_commit_callbacks, mailoutbox):
    _follow_topic(MemberFactory())
    event = _draft()
    _publish(event, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    # A retried job, or a second worker running the same one.
    assert followers_notify(event_id=event.pk) == 0
    assert followers_notify(event_id=event.pk) == 0
    assert len(mailoutbox) == 1
    assert FollowNotification.objects.count() == 1


def test_unpublished_or_cancelled_event_mails_nobody(django_capture_on_commit_callbacks, mailoutbox):
    _follow_topic(MemberFactory())
    event = _draft()
    assert followers_notify(event_id=event.pk) == 0
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    assert followers_notify(event_id=event.pk) == 0
    assert mailoutbox == []


# --- Unsubscribing from the mail -------------------------------------------------------------------


def test_unsubscribe_link_without_sign_in_confirms_then_removes_only_that_follow(
    django_capture_on_commit_callbacks, mailoutbox
):
    member = MemberFactory()
    topic = _follow_topic(member)
    EventFactory(city="Umeå")
    city = follow_create(member=member, kind="city", city="Umeå")
    _publish(_draft(), django_capture_on_commit_callbacks)
    path = _unsubscribe_path(mailoutbox[-1])
    anonymous = Client(enforce_csrf_checks=True)

    cited = follow_from_token(path.split("/")[-2])
    other = ({topic.pk, city.pk} - {cited.pk}).pop()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert cited.target in page.content.decode()
    assert Follow.objects.count() == 2  # GET changes nothing (link scanners open links)

    # RFC 8058: the mail client's POST, without cookies or a CSRF token.
    answer = anonymous.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200
    assert list(Follow.objects.values_list("pk", flat=True)) == [other]
    assert anonymous.post(path).status_code == 200  # a second click is harmless


def test_unsubscribe_with_a_forged_key_is_404_and_changes_nothing():
    follow = _follow_topic(MemberFactory())
    forged = signing.dumps(follow.pk, salt="something-else")
    for token in [forged, "inte-en-nyckel", signing.dumps("x", salt=UNSUBSCRIBE_SALT)]:
        path = reverse("events:follow-unsubscribe", args=[token])
        assert Client().get(path).status_code == 404
        assert Client().post(path).status_code == 404
    assert Follow.objects.count() == 1


# --- Export and deletion ---------------------------------------------------------------------------


def test_data_export_holds_follows_and_notifications(client, django_capture_on_commit_callbacks):
    member = MemberFactory()
    _follow_topic(member)
    _publish(_draft(title="Frukost i Umeå"), django_capture_on_commit_callbacks)
    client.force_login(member)
    archive = client.get(reverse("members:data-export"))
    body = b"".join(archive.streaming_content) if archive.streaming else archive.content
    data = json.loads(zipfile.ZipFile(io.BytesIO(body)).read("data.json"))
    assert data["event_follows"]["follows"][0]["topic"] == "ledarskap"
    assert data["event_follows"]["notifications_sent"][0]["event"] == "Frukost i Umeå"


def test_account_deletion_removes_follows_and_notifications(django_capture_on_commit_callbacks):
    member, other = MemberFactory(), MemberFactory()
    _follow_topic(member)
    follow_create(member=other, kind="topic", tag_slug="ledarskap")
    _publish(_draft(), django_capture_on_commit_callbacks)
    member_delete(member=member)
    assert list(Follow.objects.values_list("member", flat=True)) == [other.pk]
    assert list(FollowNotification.objects.values_list("member", flat=True)) == [other.pk]


# --- The weekly digest ----------------------------------------------------------------------------


def test_weekly_follower_gets_one_digest_not_a_mail_at_once(django_capture_on_commit_callbacks, mailoutbox):
    weekly = MemberFactory(email="weekly@example.org")
    follow = _follow_topic(weekly, frequency=Follow.Frequency.WEEKLY)
    event = _draft(title="Frukost i Umeå")
    _publish(event, django_capture_on_commit_callbacks)
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):  # the digest job runs once its row commits
        assert follow_digests_send() == 1
    assert len(mailoutbox) == 1
    digest = mailoutbox[0]
    assert digest.to == ["weekly@example.org"]
    assert "Frukost i Umeå" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert follow_from_token(_unsubscribe_path(digest).split("/")[-2]) == follow

    # The next week, or a second worker: nothing already told is told again.
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_digests_send() == 0
    assert len(mailoutbox) == 1


def test_digest_leaves_out_events_already_told_at_once(django_capture_on_commit_callbacks, mailoutbox):
    member = MemberFactory()
    _follow_topic(member)  # at once
    EventFactory(city="Umeå")
    follow_create(member=member, kind="city", city="Umeå", frequency="weekly")
    _publish(_draft(title="Frukost i Umeå"), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        follow_digests_send()
    assert mailoutbox and all("Frukost i Umeå" not in mail.body for mail in mailoutbox)
    assert FollowNotification.objects.filter(member=member).count() == 2  # the other Umeå event, once


def test_digest_in_swedish(django_capture_on_commit_callbacks, mailoutbox):
    _follow_topic(MemberFactory(preferred_language="sv"), frequency=Follow.Frequency.WEEKLY)
    _publish(_draft(title="Frukost i Umeå"), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        follow_digests_send()
    assert "Nytt den här veckan: ledarskap" in mailoutbox[0].subject
    assert "Sluta följa det med ett klick" in mailoutbox[0].body


def test_my_events_links_to_the_follow_settings(client):
    client.force_login(MemberFactory())
    page = client.get(reverse("events:my-events")).content.decode()
    assert f'href="{reverse("events:follow-list")}"' in page
