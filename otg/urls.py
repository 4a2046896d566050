from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from otg import views

urlpatterns = [
    path("", views.home, name="home"),
    path("om/", TemplateView.as_view(template_name="pages/about.html"), name="about"),
    path(
        "tillganglighet/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("integritet/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("allauth.urls")),
    path("medlemmar/", include("members.urls")),
    path("evenemang/", include("events.urls")),
    path("intervjuer/", include("interviews.urls")),
    path("admin/", admin.site.urls),
    # Uploaded images; a reverse proxy serves /media/ in production (docs/deploy.md).
    path("media/<path:path>", views.media, name="media"),
]

handler400 = "otg.views.bad_request"
handler403 = "otg.views.permission_denied"
handler404 = "otg.views.page_not_found"
handler500 = "otg.views.server_error"
