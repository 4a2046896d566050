"""The fan-out under two workers at once: real threads, each with its own PostgreSQL connection, run
the same job for the same event; every follower is claimed and mailed exactly once. The control runs
the same harness with the claim's ON CONFLICT DO NOTHING taken out, and sees the second worker fail."""

import threading

import pytest
from django.db import IntegrityError, connection

from events.models import Event, Follow, FollowNotification
from events.services.follows import follow_create, follow_mail_render, followers_notify
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)
FOLLOWERS = 60


def _two_workers(event_id: int) -> tuple[list[int], list[BaseException]]:
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def work():
        try:
            barrier.wait()
            counts.append(followers_notify(event_id=event_id))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts, errors


def _world() -> Event:
    EventFactory().tags.add("ledarskap")
    for _ in range(FOLLOWERS):
        follow_create(member=MemberFactory(), kind="topic", tag_slug="ledarskap")
    event = EventFactory()
    event.tags.add("ledarskap")
    return event


def test_two_workers_fan_out_each_follower_once(mailoutbox):
    event = _world()
    counts, errors = _two_workers(event.pk)
    assert errors == []
    assert sum(counts) == FOLLOWERS
    assert FollowNotification.objects.filter(event=event).count() == FOLLOWERS
    assert len(mailoutbox) == FOLLOWERS
    assert len({mail.to[0] for mail in mailoutbox}) == FOLLOWERS
    assert Follow.objects.count() == FOLLOWERS


def test_control_without_on_conflict_the_second_worker_fails(monkeypatch, mailoutbox):
    event = _world()
    real_execute = connection.cursor().__class__.execute

    def without_on_conflict(self, sql, params=None):
        return real_execute(self, sql.replace("ON CONFLICT (member_id, event_id) DO NOTHING", ""), params)

    monkeypatch.setattr(connection.cursor().__class__, "execute", without_on_conflict)
    _counts, errors = _two_workers(event.pk)
    assert any(isinstance(error, IntegrityError) for error in errors)
    assert FollowNotification.objects.filter(event=event).count() == FOLLOWERS


def test_fan_out_queues_one_mail_job_per_follower_in_a_few_queries(settings, django_assert_max_num_queries):
    """On the real queue: the mail jobs go in with one statement (a thousand followers would otherwise be
    a thousand round trips inside the fan-out's transaction), each follower once, and never again."""
    event = _world()
    settings.JOBS_INLINE = False
    followers = sorted(Follow.objects.values_list("member_id", flat=True))

    def queued() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (args->>'member_id')::bigint FROM procrastinate_jobs"
                " WHERE task_name = 'follow_mail_send' AND (args->>'event_id')::bigint = %s",
                [event.pk],
            )
            return sorted(row[0] for row in cursor.fetchall())

    with django_assert_max_num_queries(6):
        assert followers_notify(event_id=event.pk) == FOLLOWERS
    assert queued() == followers
    assert followers_notify(event_id=event.pk) == 0
    assert queued() == followers


def test_each_follow_mail_renders_with_two_queries(django_assert_max_num_queries):
    """A fan-out renders this once per follower in the worker: the event, and the follow with its member."""
    event = _world()
    member_id = Follow.objects.values_list("member_id", flat=True).first()
    with django_assert_max_num_queries(2):
        message = follow_mail_render(member_id=member_id, event_id=event.pk)
    assert message is not None and message.extra_headers["List-Unsubscribe"]
    Follow.objects.filter(member_id=member_id).delete()
    assert follow_mail_render(member_id=member_id, event_id=event.pk) is None
