from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from events.sitemaps import EventSitemap
from interviews.sitemaps import InterviewSitemap
from members import views as member_views
from members.permissions import staff_power
from members.sitemaps import MemberSitemap
from otg.site import views
from otg.site.sitemaps import TopicSitemap

# The admin signs in through allauth: one sign-in form, with its rate limits and two-factor step.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "One Team Gov Sverige"
# Staff use the admin only in a session signed in with a second factor (members.permissions); the
# middleware sends them to give it first, and this holds even without the middleware.
admin.site.has_permission = lambda request: (
    AdminSite.has_permission(admin.site, request) and staff_power(request)
)
# One entry per app with public pages; /sitemap.xml lists them all.
sitemaps = {
    "events": EventSitemap,
    "interviews": InterviewSitemap,
    "members": MemberSitemap,
    "topics": TopicSitemap,
}

urlpatterns = [
    path("", views.home, name="home"),
    path("om/", TemplateView.as_view(template_name="pages/about.html"), name="about"),
    path(
        "tillganglighet/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("integritet/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("sok/", views.search_page, name="search"),
    path("valkommen/", views.welcome, name="welcome"),
    path("amnen/", views.topic_list, name="topic-list"),
    path("amnen/<str:slug>/", views.topic_detail, name="topic-detail"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    # Django's set_language, which for a signed-in member also sets the language of their mail.
    path("i18n/setlang/", member_views.language_set, name="set_language"),
    path("konto/", include("allauth.urls")),
    path("medlemmar/", include("members.urls")),
    path("evenemang/", include("events.urls")),
    path("intervjuer/", include("interviews.urls")),
    path("admin/", admin.site.urls),
    # Uploaded images; a reverse proxy serves /media/ in production (docs/deploy.md).
    path("media/<path:path>", views.media, name="media"),
]

handler400 = "otg.site.views.bad_request"
handler403 = "otg.site.views.permission_denied"
handler404 = "otg.site.views.page_not_found"
handler500 = "otg.site.views.server_error"
