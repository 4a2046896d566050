from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="member-list"),
    path("<int:pk>/", views.member_detail, name="member-detail"),
    path("profil/", views.profile_edit, name="profile-edit"),
    path("mina-uppgifter/", views.my_data, name="my-data"),
    path("mina-uppgifter/ladda-ner/", views.data_export, name="data-export"),
    path("radera-konto/", views.account_delete, name="account-delete"),
]
