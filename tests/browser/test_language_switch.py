"""A signed-in member switches the site to English with the footer's switcher, without JavaScript too:
the page says their mail now comes in English, and it does."""

import pytest
from django.urls import reverse

from members.models import Member
from tests.factories import MemberFactory
from tests.helpers.browser import new_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("size", [(375, 740), (1280, 800)])
@pytest.mark.parametrize("javascript", [True, False])
def test_the_footer_switch_sets_the_mail_language_and_says_so(browser, live_server, size, javascript):
    member = MemberFactory(preferred_language="sv")
    page = new_page(browser, live_server, language="sv", size=size, javascript=javascript, member=member)
    page.goto(live_server.url + reverse("about"))
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt språk").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Mail to you is now sent in English.").is_visible()
    assert page.url.endswith(reverse("about"))
    assert Member.objects.get(pk=member.pk).preferred_language == "en"
    page.context.close()
