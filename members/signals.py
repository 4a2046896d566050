"""Hooks through which other apps take part in a member's deletion and data export.

`members` knows nothing of events or interviews; they connect receivers here instead.
"""

from django.dispatch import Signal

# Sent inside member_delete's transaction, before the member row is removed. kwargs: member.
member_deleting = Signal()

# Sent by member_data_export; each receiver returns a (key, JSON-serialisable data) pair. kwargs: member.
member_exporting = Signal()

# Sent by the profile page; each receiver returns a (template name, context) pair, a section the page
# shows below the profile form (events: the topics and cities a member follows). kwargs: member.
member_settings = Signal()
