"""Swedish (or English) for what third-party apps show in the admin without a translation of their own.

Strings they mark for translation but do not translate into Swedish are translated in our locale, which
Django reads after theirs, so ours win; they are listed here so that `make messages` keeps them in our
.po. Names they never mark (model and field names Django makes from class and field names) get a
translatable label at start-up (SiteConfig.ready). Only the display label changes: migrations read a
field's `_verbose_name` and a model's `original_attrs`, which stay as they were.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

THIRD_PARTY_MSGIDS = [
    # Django: "Senaste Händelser", with a capital H, in its Swedish translation.
    gettext_noop("Recent actions"),
    # django-taggit has no Swedish translation at all.
    gettext_noop("A comma-separated list of tags."),
    gettext_noop("Please provide a comma-separated list of tags."),
    gettext_noop("Tags"),
    gettext_noop("tag"),
    gettext_noop("tags"),
    gettext_noop("tagged item"),
    gettext_noop("tagged items"),
    gettext_noop("Taggit"),
    gettext_noop("content type"),
    gettext_noop("object ID"),
    pgettext_lazy("A tag name", "name"),
    pgettext_lazy("A tag slug", "slug"),
    # allauth: its app names.
    gettext_noop("MFA"),
]

LABELS = {
    ("usersessions", "usersession"): (
        _("user session"),
        _("user sessions"),
        {
            "user": _("member"),
            "created_at": _("created"),
            "ip": _("IP address"),
            "last_seen_at": _("last seen"),
            "user_agent": _("browser"),
            "data": _("data"),
        },
    ),
    ("mfa", "authenticator"): (
        _("authenticator"),
        _("authenticators"),
        {
            "user": _("member"),
            "type": _("type"),
            "data": _("data"),
            "created_at": _("created"),
            "last_used_at": _("last used"),
        },
    ),
}


def label_third_party_models() -> None:
    for (app_label, model_name), (singular, plural, fields) in LABELS.items():
        if not apps.is_installed(f"allauth.{app_label}"):
            continue
        model = apps.get_model(app_label, model_name)
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
        for name, label in fields.items():
            model._meta.get_field(name).verbose_name = label
