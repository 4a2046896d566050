from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _name_the_site(using: str, **kwargs) -> None:
    # After every migrate and every test flush: django.contrib.sites recreates "example.com" then.
    from django.contrib.sites.models import Site

    from members.sites import name_the_site

    name_the_site(Site, using=using)


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        post_migrate.connect(_name_the_site, sender=self)
        from allauth.mfa.signals import authenticator_added

        from members.permissions import record_second_factor_on_activation

        authenticator_added.connect(record_second_factor_on_activation, dispatch_uid="second-factor-set-up")
        from members.models import Member
        from otg.common import caching, topics

        # What others see of a member; a sign-in (last_login) or a new password changes none of it.
        caching.bump_on_write(Member, "members", ignore_fields=["last_login", "password"])
        topics.register("member", Member, lambda: Member.objects.public())
