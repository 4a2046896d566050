"""How events take part in a member's account deletion and data export (members.signals)."""

from events import services


def remove_rsvps(sender, *, member, **kwargs) -> None:
    services.rsvps_remove_for_member(member=member)


def export_rsvps(sender, *, member, **kwargs) -> tuple[str, list[dict]]:
    return ("event_rsvps", services.rsvps_export_for_member(member=member))


def remove_follows(sender, *, member, **kwargs) -> None:
    services.follows_remove_for_member(member=member)


def export_follows(sender, *, member, **kwargs) -> tuple[str, dict]:
    return ("event_follows", services.follows_export_for_member(member=member))
