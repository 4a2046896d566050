import pytest

from members.sitemaps import MemberSitemap
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_member_sitemap_lists_public_profiles_only():
    public = MemberFactory(is_public=True)
    MemberFactory(is_public=False)
    MemberFactory(is_public=True, is_active=False)
    assert [m.pk for m in MemberSitemap().items()] == [public.pk]
    assert MemberSitemap().location(public) == public.get_absolute_url()
