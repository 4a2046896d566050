"""What the account pages say and how their forms are built, in Swedish and English."""

import re
import time
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

CONTACT = "hej-test@otg.example.org"


class Page(HTMLParser):
    """The parts of a page these tests read: ids, labels, links, buttons, the title and the main text."""

    def __init__(self, html: str):
        super().__init__()
        self.ids, self.labels, self.links, self.buttons, self.inputs = set(), {}, [], [], {}
        self.title, self.main_text = "", ""
        self._stack: list[tuple[str, dict]] = []
        self._label_for: str | None = None
        self._label_text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "label":
            self._label_for, self._label_text = attrs.get("for"), ""
        if tag == "a":
            self.links.append(attrs)
        if tag == "input":
            self.inputs[attrs.get("name", "")] = attrs
        if tag == "button" or (tag == "a" and "button-link" in attrs.get("class", "")):
            self.buttons.append(attrs)
        if tag not in {"input", "meta", "link", "br", "img"}:
            self._stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "label" and self._label_for:
            self.labels[self._label_for] = self._label_text
            self._label_for = None
        while self._stack and self._stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        tags = [t for t, _ in self._stack]
        if "title" in tags:
            self.title += data
        if "main" in tags:
            self.main_text += data
        if self._label_for is not None:
            self._label_text += data


def get(client, name: str, language: str, **kwargs) -> tuple[str, Page]:
    response = client.get(reverse(name), headers={"accept-language": language}, **kwargs)
    assert response.status_code == 200
    html = response.content.decode()
    return html, Page(html)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- Sign-up -------------------------------------------------------------------------------------

SIGNUP = {
    "sv": {
        "title": "Bli medlem",
        "facts": ["Medlemskapet är gratis.", "privatperson", "anmäla dig till evenemang"],
        "password": "Minst 10 tecken, inte ett vanligt lösenord och inte bara siffror.",
        "email": "E-postadress",
        "optional": "(valfritt)",
        "principles": "Jag godkänner rörelsens principer och uppförandekod",
    },
    "en": {
        "title": "Become a member",
        "facts": ["Membership is free.", "as an individual", "sign up for events"],
        "password": "At least 10 characters, not a common password and not only digits.",
        "email": "Email address",
        "optional": "(optional)",
        "principles": "I accept the movement's principles and code of conduct",
    },
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_signup_says_what_membership_is_under_the_title_become_a_member(client, language):
    words = SIGNUP[language]
    html, page = get(client, "account_signup", language)
    assert page.title.startswith(words["title"] + " \N{EN DASH}")
    assert re.search(rf"<h1>{words['title']}</h1>", html)
    facts = re.search(r'<ul class="membership-facts">(.*?)</ul>', html, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", facts, re.S)
    assert len(items) == 3
    for item, fact in zip(items, words["facts"], strict=True):
        assert fact in item
    assert page.buttons[-1].get("type") == "submit"
    assert words["title"] in squash(html.split("<form", 1)[1].split("</form>")[0].rsplit("<button", 1)[1])


@pytest.mark.parametrize("language", ["sv", "en"])
def test_signup_states_password_rules_in_one_sentence(client, language):
    html, _ = get(client, "account_signup", language)
    help_block = re.search(r'id="id_password1_helptext">(.*?)</div>', html, re.S).group(1)
    assert squash(help_block) == SIGNUP[language]["password"]
    assert "<li>" not in help_block  # not Django's list of one rule per validator


@pytest.mark.parametrize("language", ["sv", "en"])
def test_signup_principles_link_sits_inside_the_checkbox_label(client, language):
    html, page = get(client, "account_signup", language)
    label = re.search(r'<label for="id_accept_principles">(.*?)</label>', html, re.S).group(1)
    assert re.fullmatch(r'[^<]+<a href="/om/">[^<]+</a>', label.strip())
    assert squash(re.sub("<[^>]+>", "", label)) == SIGNUP[language]["principles"]
    # No separate help line with the link any more.
    assert "id_accept_principles_helptext" not in page.ids


@pytest.mark.parametrize("language", ["sv", "en"])
def test_signup_labels_have_no_colon_and_optional_fields_say_so_the_same_way(client, language):
    words = SIGNUP[language]
    _, page = get(client, "account_signup", language)
    assert page.labels, "the sign-up form has labels"
    for field_id, text in page.labels.items():
        assert not squash(text).endswith(":"), field_id
    assert squash(page.labels["id_interests"]).endswith(words["optional"])
    assert squash(page.labels["id_bio"]).endswith(words["optional"])
    assert words["optional"] not in page.labels["id_name"]
    assert squash(page.labels["id_email"]) == words["email"]
    assert page.inputs["email"]["placeholder"] == words["email"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_profile_form_says_optional_as_sign_up_does(client, language):
    client.force_login(MemberFactory())
    html, page = get(client, "members:profile-edit", language)
    assert squash(page.labels["id_pronouns"]).endswith(SIGNUP[language]["optional"])
    assert "frivilligt" not in html
    for field_id, text in page.labels.items():
        assert not squash(text).endswith(":"), field_id


# --- Sign-in -------------------------------------------------------------------------------------

SIGNIN = {
    "sv": ("Logga in", "Mejla mig en inloggningskod", "Inget konto än? Bli medlem.", "Bli medlem."),
    "en": ("Sign in", "Email me a sign-in code", "No account yet? Become a member.", "Become a member."),
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_signin_has_one_primary_button_the_code_second_and_a_link_to_become_a_member(client, language):
    sign_in, code, switch, link_text = SIGNIN[language]
    html, page = get(client, "account_login", language)
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    primary = re.findall(r"<button[^>]*>\s*([^<]*?)\s*</button>", main)
    secondary_class = r'class="button-link button-secondary"'
    code_links = re.findall(
        rf'<a href="{reverse("account_request_login_code")}[^"]*" {secondary_class}[^>]*>\s*([^<]*?)\s*</a>',
        main,
    )
    assert primary == [sign_in]
    assert code_links == [code]
    assert switch in squash(re.sub("<[^>]+>", "", main))
    signup_links = [a for a in page.links if a.get("href", "").startswith(reverse("account_signup"))]
    assert signup_links
    assert re.search(rf'<a href="{reverse("account_signup")}[^"]*">{re.escape(link_text)}</a>', main)
    # The wrong Swedish of allauth ("Har du redan ett konto? Då kan du logga in") is gone.
    assert "Har du redan ett konto" not in html


@pytest.mark.parametrize("language", ["sv", "en"])
def test_signin_email_label_and_placeholder_agree(client, language):
    _, page = get(client, "account_login", language)
    email = SIGNUP[language]["email"]
    assert squash(page.labels["id_login"]) == email
    assert page.inputs["login"]["placeholder"] == email


# --- allauth's Swedish, as we write it -----------------------------------------------------------


def test_allauth_messages_read_as_our_swedish(client):
    wrong = client.post(
        reverse("account_login"), {"login": "nobody@example.org", "password": "fel-lösenord-1"}
    )
    text = wrong.content.decode()
    assert "E-postadressen och/eller lösenordet är felaktigt." in text
    assert "Epost" not in text and "epost" not in text

    client.post(
        reverse("account_signup"),
        {
            "name": "Ny Medlem",
            "email": "ny@example.org",
            "password1": "ett-långt-lösenord-för-test",
            "accept_principles": "on",
        },
    )
    sent = client.get(reverse("account_email_verification_sent"))
    text = sent.content.decode()
    assert "Bekräftelsemejl skickat till ny@example.org." in text
    assert "Verifierings-mail" not in text
    assert Member.objects.filter(email="ny@example.org").exists()


# --- The error summary ---------------------------------------------------------------------------


SUMMARY = {
    "sv": [
        "Namn: Skriv ditt namn.",
        "E-postadress: Skriv en e-postadress som namn@exempel.se.",
        "Lösenord: Välj ett lösenord.",
        "Du behöver godkänna principerna och uppförandekoden för att bli medlem.",
    ],
    "en": [
        "Name: Enter your name.",
        "Email address: Enter an email address like name@example.org.",
        "Password: Choose a password.",
        "To become a member you need to accept the principles and code of conduct.",
    ],
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_signup_errors_are_summarised_at_the_top_with_links_to_each_field(client, language):
    response = client.post(
        reverse("account_signup"),
        {"name": "", "email": "inte-en-adress", "password1": ""},
        headers={"accept-language": language},
    )
    html = response.content.decode()
    page = Page(html)
    assert page.title.startswith({"sv": "Fel: ", "en": "Error: "}[language])
    form = html.split('<form method="post"', 1)[1]
    summary = re.search(r'<div class="error-summary" data-error-summary>(.*?)</ul>', form, re.S).group(1)
    # The summary comes before the first field of the form.
    assert form.index("error-summary") < form.index('class="field')
    assert '<div role="alert">' in summary
    assert {"sv": "Det finns ett problem", "en": "There is a problem"}[language] in summary
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert targets == ["id_name", "id_email", "id_password1", "id_accept_principles"]
    assert set(targets) <= page.ids
    # Each says what to do, as the message next to the field does.
    texts = [squash(t) for t in re.findall(r'<a href="#[^"]+">(.*?)</a>', summary, re.S)]
    assert texts == SUMMARY[language]
    assert not Member.objects.exists()


def test_profile_errors_are_summarised_with_links_to_each_field(client, member):
    client.force_login(member)
    response = client.post(reverse("members:profile-edit"), {"name": "", "preferred_language": "xx"})
    html = response.content.decode()
    page = Page(html)
    summary = re.search(r"data-error-summary>(.*?)</ul>", html, re.S).group(1)
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert targets == ["id_name", "id_preferred_language"]
    assert set(targets) <= page.ids
    assert page.title.startswith("Fel: ")


def test_a_form_without_errors_has_no_summary_and_no_script(client):
    html, _ = get(client, "account_signup", "sv")
    assert "error-summary" not in html
    assert "error-summary.js" not in html


# --- The contact address -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "accessibility",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_contact_address_from_settings_is_shown(client, settings, name):
    settings.CONTACT_EMAIL = CONTACT
    html, _ = get(client, name, "sv")
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in footer
    if name != "home":
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in main
        assert "Kontakta oss" not in main and "kontakta oss" not in main


# --- English that reads as the rest of the site (sentence case, not allauth's Title Case) ----------


@pytest.mark.parametrize(
    ("name", "heading", "text"),
    [
        ("account_login", "Sign in", "Remember me"),
        ("account_reset_password", "Reset your password", "Reset my password"),
        ("account_email_verification_sent", "Confirm your email address", "write to us at"),
    ],
)
def test_english_account_pages_read_in_sentence_case(client, name, heading, text):
    html, page = get(client, name, "en")
    assert f"<h1>{heading}</h1>" in html
    assert text in squash(page.main_text)
    assert not re.search(r"\b(Sign In|Sign Up|Remember Me|Reset My Password|Password Reset)\b", html)


def test_verified_email_required_page_gives_the_contact_address(rf, settings, member):
    """allauth shows this page from any view that needs a verified address; it said "contact us"."""
    from django.template.loader import render_to_string

    settings.CONTACT_EMAIL = CONTACT
    request = rf.get("/")
    request.user = member
    html = render_to_string("account/verified_email_required.html", request=request)
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in main


def test_change_password_states_the_rules_in_the_same_sentence(client, member):
    client.force_login(member)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": member.email, "reauthenticated": True}
    ]
    session.save()
    html, _ = get(client, "account_change_password", "sv")
    help_block = re.search(r'id="id_password1_helptext">(.*?)</div>', html, re.S).group(1)
    assert squash(help_block) == SIGNUP["sv"]["password"]
