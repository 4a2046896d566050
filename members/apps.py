from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


def _name_the_site(using: str, **kwargs) -> None:
    # After every migrate and every test flush: django.contrib.sites recreates "example.com" then.
    from django.contrib.sites.models import Site

    from members.sites import name_the_site

    name_the_site(Site, using=using)


def _address_removed(instance, origin=None, **kwargs) -> None:
    # Every way an address goes (allauth's remove and change, the admin, the shell) deletes its
    # EmailAddress row: remember it there. Not when the member goes themselves: a row written in the
    # middle of their deletion would outlive them.
    from django.db.models import QuerySet

    from members.models import Member
    from members.services import member_address_retire

    if isinstance(origin, Member) or (isinstance(origin, QuerySet) and origin.model is Member):
        return
    if Member.objects.filter(pk=instance.user_id).exists():
        member_address_retire(member_id=instance.user_id, email=instance.email)


def _normalise_address(sender, instance, **kwargs) -> None:
    # allauth's own model: every path that stores an address (sign-up, adding one, the admin, the
    # shell) stores it as the member's own address is stored and as every lookup compares it.
    from otg.common.text import normalise_email

    instance.email = normalise_email(instance.email)


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        post_migrate.connect(_name_the_site, sender=self)
        from allauth.account.models import EmailAddress
        from django.db.models.signals import post_delete

        post_delete.connect(_address_removed, sender=EmailAddress, dispatch_uid="members-address-removed")
        pre_save.connect(_normalise_address, sender=EmailAddress, dispatch_uid="otg-address-nfc")
        from allauth.mfa.signals import authenticator_added

        from members.permissions import record_second_factor_on_activation

        authenticator_added.connect(record_second_factor_on_activation, dispatch_uid="second-factor-set-up")
        from members.models import Member
        from otg.common import caching, topics

        # What others see of a member; a sign-in (last_login), a new password or the language of their
        # mail changes none of it.
        caching.bump_on_write(
            Member, "members", ignore_fields=["last_login", "password", "preferred_language"]
        )
        topics.register("member", Member, lambda: Member.objects.public())
