from django.urls import path

from events.views import calendars, events, exports, follows, hosting, rsvps, series

app_name = "events"

urlpatterns = [
    path("", events.event_list, name="event-list"),
    path("tidigare/", events.event_past, name="event-past"),
    path("mina/", events.my_events, name="my-events"),
    path("kalender.ics", calendars.public_feed, name="public-feed"),
    path("kalender/ny-lank/", calendars.calendar_token_rotate, name="calendar-token-rotate"),
    path("kalender/<str:token>.ics", calendars.member_feed, name="member-feed"),
    path("folj/", follows.follow_list, name="follow-list"),
    path("folj/ny/", follows.follow_create, name="follow-create"),
    path("folj/<int:pk>/sluta/", follows.follow_delete, name="follow-delete"),
    path("avregistrera/<str:token>/", follows.follow_unsubscribe, name="follow-unsubscribe"),
    path("foresla/", hosting.event_propose, name="event-propose"),
    path("foresla/serie/", series.series_propose, name="series-propose"),
    path("serie/<slug:slug>/", series.series_detail, name="series-detail"),
    path("granskning/", hosting.review_list, name="review-list"),
    path("medvard/<str:token>/", hosting.cohost_accept, name="cohost-accept"),
    path("<slug:slug>/", events.event_detail, name="event-detail"),
    path("<slug:slug>/kalender.ics", calendars.event_ics, name="event-ics"),
    path("<slug:slug>/anmalan/", rsvps.rsvp_create, name="rsvp-create"),
    path("<slug:slug>/anmalan/andra/", rsvps.rsvp_update, name="rsvp-update"),
    path("<slug:slug>/anmalan/kommer/", rsvps.rsvp_maybe_promote, name="rsvp-maybe-promote"),
    path("<slug:slug>/avanmalan/", rsvps.rsvp_cancel, name="rsvp-cancel"),
    path("<slug:slug>/deltagare/", exports.organiser_attendees, name="organiser-attendees"),
    path("<slug:slug>/deltagare.csv", exports.organiser_attendees_csv, name="organiser-attendees-csv"),
    path("<slug:slug>/deltagare.xlsx", exports.organiser_attendees_xlsx, name="organiser-attendees-xlsx"),
    path("<slug:slug>/rapportera/", hosting.event_report, name="event-report"),
    path("<slug:slug>/granska/godkann/", hosting.review_approve, name="review-approve"),
    path("<slug:slug>/granska/avsla/", hosting.review_decline, name="review-decline"),
    path("<slug:slug>/vard/", hosting.host_edit, name="host-edit"),
    path("<slug:slug>/vard/stall-in/", hosting.host_cancel, name="host-cancel"),
    path("<slug:slug>/vard/incheckning/", hosting.host_checkin, name="host-checkin"),
    path("<slug:slug>/vard/igen/", hosting.host_repeat, name="host-repeat"),
    path("<slug:slug>/vard/medvardar/", hosting.cohost_invite, name="cohost-invite"),
    path("<slug:slug>/vard/meddelande/", hosting.host_message, name="host-message"),
    path("<slug:slug>/vard/ta-bort/<int:rsvp_id>/", hosting.attendee_remove, name="attendee-remove"),
]
