"""Events' text stored before it was normalised where it is stored (otg.common.normalised): titles,
venues, addresses, cities and the rest in NFC without control characters, invitation addresses in
NFC and lowercase. A member's two follows of one city, typed in NFC and in NFD, become the older one."""

from django.db import migrations

from otg.common.normalised import normalise_rows
from otg.common.text import normalise_line


def normalise(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Follow = apps.get_model("events", "Follow")
    normalise_rows(
        Event,
        lines=("title", "summary", "venue_name", "address", "city", "cover_alt"),
        texts=("description", "review_message", "cancel_message"),
    )
    seen = set()
    for follow in Follow.objects.filter(kind="city").order_by("pk"):
        city = normalise_line(follow.city) or follow.city
        key = (follow.member_id, city.lower())
        if key in seen:
            follow.delete()
            continue
        seen.add(key)
        if city != follow.city:
            Follow.objects.filter(pk=follow.pk).update(city=city)
    normalise_rows(apps.get_model("events", "CohostInvite"), emails=("email",))
    normalise_rows(apps.get_model("events", "EventMessage"), lines=("subject",), texts=("body",))
    normalise_rows(apps.get_model("events", "Rsvp"), texts=("accessibility_needs", "dietary_needs"))
    normalise_rows(apps.get_model("events", "EventReport"), texts=("reason",))


class Migration(migrations.Migration):
    dependencies = [("events", "0016_event_series_and_series_follows")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
