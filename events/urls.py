from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("tidigare/", views.event_past, name="event-past"),
    path("mina/", views.my_events, name="my-events"),
    path("kalender.ics", views.public_feed, name="public-feed"),
    path("kalender/ny-lank/", views.calendar_token_rotate, name="calendar-token-rotate"),
    path("kalender/<str:token>.ics", views.member_feed, name="member-feed"),
    path("folj/", views.follow_list, name="follow-list"),
    path("folj/ny/", views.follow_create, name="follow-create"),
    path("folj/<int:pk>/sluta/", views.follow_delete, name="follow-delete"),
    path("avregistrera/<str:token>/", views.follow_unsubscribe, name="follow-unsubscribe"),
    path("foresla/", views.event_propose, name="event-propose"),
    path("granskning/", views.review_list, name="review-list"),
    path("medvard/<str:token>/", views.cohost_accept, name="cohost-accept"),
    path("<slug:slug>/", views.event_detail, name="event-detail"),
    path("<slug:slug>/kalender.ics", views.event_ics, name="event-ics"),
    path("<slug:slug>/anmalan/", views.rsvp_create, name="rsvp-create"),
    path("<slug:slug>/anmalan/andra/", views.rsvp_update, name="rsvp-update"),
    path("<slug:slug>/avanmalan/", views.rsvp_cancel, name="rsvp-cancel"),
    path("<slug:slug>/deltagare/", views.organiser_attendees, name="organiser-attendees"),
    path("<slug:slug>/deltagare.csv", views.organiser_attendees_csv, name="organiser-attendees-csv"),
    path("<slug:slug>/deltagare.xlsx", views.organiser_attendees_xlsx, name="organiser-attendees-xlsx"),
    path("<slug:slug>/rapportera/", views.event_report, name="event-report"),
    path("<slug:slug>/granska/godkann/", views.review_approve, name="review-approve"),
    path("<slug:slug>/granska/avsla/", views.review_decline, name="review-decline"),
    path("<slug:slug>/vard/", views.host_edit, name="host-edit"),
    path("<slug:slug>/vard/stall-in/", views.host_cancel, name="host-cancel"),
    path("<slug:slug>/vard/incheckning/", views.host_checkin, name="host-checkin"),
    path("<slug:slug>/vard/igen/", views.host_repeat, name="host-repeat"),
    path("<slug:slug>/vard/medvardar/", views.cohost_invite, name="cohost-invite"),
    path("<slug:slug>/vard/meddelande/", views.host_message, name="host-message"),
    path("<slug:slug>/vard/ta-bort/<int:rsvp_id>/", views.attendee_remove, name="attendee-remove"),
]
