from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("<int:pk>/", views.member_detail, name="member-detail"),
]
