"""The events app's views, one module per family: the public pages, calendars, RSVPs, attendee exports,
follows and hosting (the URLs are in events/urls.py)."""
