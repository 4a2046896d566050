from allauth.account.models import EmailAddress
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from members import services
from members.models import Member
from otg.common.files import FilesAtomicAdmin
from otg.common.text import CleanTextModelForm


class EmailVerifiedFilter(admin.SimpleListFilter):
    title = _("email verified")
    parameter_name = "email_verified"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        verified = Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True))
        if self.value() == "yes":
            return queryset.filter(verified)
        if self.value() == "no":
            return queryset.exclude(verified)
        return queryset


@admin.register(Member)
class MemberAdmin(FilesAtomicAdmin, admin.ModelAdmin):
    """Members without their password hash; portraits are set by members only, through the sanitiser."""

    form = CleanTextModelForm
    list_display = ["name", "email", "is_public", "is_staff", "date_joined"]
    list_filter = ["is_staff", EmailVerifiedFilter, "is_public", "date_joined"]
    search_fields = ["name", "email", "emailaddress__email"]
    ordering = ["name"]
    readonly_fields = ["portrait_preview", "date_joined", "last_login", "password_notice"]
    filter_horizontal = ["groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "name", "password_notice"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "portrait_preview",
                    "pronouns",
                    "bio",
                    "interests",
                    "work_description",
                    "show_work",
                    "preferred_language",
                    "is_public",
                ]
            },
        ),
        (_("Consent"), {"fields": ["principles_version", "principles_accepted_at"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["date_joined", "last_login"]}),
    ]

    @admin.display(description=_("portrait"))
    def portrait_preview(self, member: Member) -> str:
        if not member.portrait_small:
            return _("No portrait")
        return format_html(
            '<img src="{}" alt="{}" width="96" height="96">',
            member.portrait_small.url,
            _("Portrait of %(name)s") % {"name": member.name},
        )

    @admin.display(description=_("password"))
    def password_notice(self, member: Member) -> str:
        return _(
            "Passwords are stored only as a hash and never shown. "
            "The member can reset theirs with “Forgot your password?”."
        )

    actions = ["make_editor"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        # A profile hidden here (private or deactivated) loses its portrait's public addresses too.
        if (
            change
            and {"is_public", "is_active"} & set(form.changed_data)
            and not (obj.is_public and obj.is_active)
        ):
            services.member_portrait_rename(member=obj)

    def save_related(self, request, form, formsets, change):
        # The groups are saved only now: before that, the instance's groups are the ones it had.
        was_editor = change and form.initial.get("is_staff") and services.member_is_editor(form.instance)
        super().save_related(request, form, formsets, change)
        # Made an editor through the form (staff and the editors' group): they are told what changes.
        if not was_editor and services.member_is_editor(form.instance):
            services.member_editor_welcome(member=form.instance)

    @admin.action(description=_("Make the selected members editors (they are told by mail)"))
    def make_editor(self, request, queryset):
        for member in queryset:
            services.member_make_editor(member=member)
        self.message_user(request, _("The members are editors now, and have been told by mail."))

    def delete_model(self, request, obj):
        services.member_delete(member=obj)

    def delete_queryset(self, request, queryset):
        for member in queryset:
            services.member_delete(member=member)
