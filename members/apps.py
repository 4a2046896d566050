from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


def _name_the_site(using: str, **kwargs) -> None:
    # After every migrate and every test flush: django.contrib.sites recreates "example.com" then.
    from django.contrib.sites.models import Site

    from members.sites import name_the_site

    name_the_site(Site, using=using)


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

        pre_save.connect(_normalise_address, sender=EmailAddress, dispatch_uid="otg-address-nfc")
        from members.models import Member
        from otg.common import caching, topics

        # What others see of a member; a sign-in (last_login) or a new password changes none of it.
        caching.bump_on_write(Member, "members", ignore_fields=["last_login", "password"])
        topics.register("member", Member, lambda: Member.objects.public())
