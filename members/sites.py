from urllib.parse import urlsplit

from django.conf import settings


def name_the_site(site_model, using: str = "default") -> None:
    """Give the Site row (used in allauth's mails and the sitemap) the portal's name and domain."""
    site_model.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": urlsplit(settings.SITE_URL).netloc, "name": "One Team Gov Sverige"},
    )
