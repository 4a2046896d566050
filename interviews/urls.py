from django.urls import path

from interviews import feeds, views

app_name = "interviews"

urlpatterns = [
    path("", views.interview_list, name="interview-list"),
    path("rss/", feeds.LatestInterviewsFeed(), name="feed-rss"),
    path("atom/", feeds.LatestInterviewsAtomFeed(), name="feed-atom"),
    path("<slug:slug>/", views.interview_detail, name="interview-detail"),
]
