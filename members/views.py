from urllib.parse import urlencode

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows import reauthentication
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.i18n import set_language

from members import services
from members.forms import ProfileForm
from members.models import Member
from members.permissions import require_second_factor, staff_power
from members.signals import member_settings
from otg.common.caching import (
    FRAGMENT_TIMEOUT,
    CachedCountPaginator,
    fragment_key,
    page_number,
)
from otg.common.pages import kept_page
from otg.common.topics import public_tag

MEMBERS_PER_PAGE = 24


# The list is rendered once per generation of members and tags, search, topic and page; the count and
# the rows load only then. A visitor who is not signed in, without filters, gets the page as every such
# visitor does.
@require_safe
@kept_page("member-list", "members", "tags")
def member_list(request: HttpRequest, *, page, version: str) -> HttpResponse:
    members = Member.objects.public().with_interests()
    query = " ".join(request.GET.get("q", "").split())[:100]
    if query:
        members = members.filter(name__icontains=query)
    tag = None
    if slug := request.GET.get("amne", "").strip()[:100]:
        # Only a tag that something public carries (otg.common.topics): no other tag's name is shown.
        tag = public_tag(slug)
        members = members.filter(interests=tag) if tag else members.none()
    members = members.order_by("name", "pk")
    number = page_number(request.GET.get("sida"))
    key = fragment_key("member-list", version, query, tag.slug if tag else slug and "-", get_language())
    paginator = CachedCountPaginator(members, MEMBERS_PER_PAGE, key=key)
    return page.render(
        "members/member_list.html",
        {
            "page": SimpleLazyObject(lambda: paginator.get_page(number)),
            "query": query,
            "tag": tag,
            "tag_slug": slug,
            "filter_key": fragment_key("", query, tag.slug if tag else slug and "-"),
            "filtered": bool(query or slug),
            "page_params": {"q": query, "amne": tag.slug if tag else ""},
            "version": version,
            "fragment_timeout": FRAGMENT_TIMEOUT,
        },
    )


@require_safe
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        member = Member.objects.public().shown_on_profile().get(pk=pk)
    except Member.DoesNotExist:
        # A private profile: only its owner and staff see it.
        member = get_object_or_404(Member.objects.filter(is_active=True), pk=pk)
        if not (request.user == member or staff_power(request)):
            require_second_factor(request)
            raise Http404 from None
    return render(
        request, "members/member_detail.html", {"member": member, "is_owner": request.user == member}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    # A fresh copy: a form that fails validation must not change the signed-in user in memory.
    member = Member.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            if upload := form.cleaned_data["portrait_upload"]:
                services.member_portrait_set(member=member, upload=upload)
        except ValidationError as error:
            form.add_error("portrait_upload", error)
        else:
            if form.cleaned_data["remove_portrait"]:
                services.member_portrait_clear(member=member)
            services.member_profile_update(member=member, **form.profile_data())
            messages.success(request, _("Your profile has been saved."))
            return redirect(member)
    sections = [response for _receiver, response in member_settings.send(sender=Member, member=member)]
    return render(
        request, "members/profile_edit.html", {"form": form, "member": member, "sections": sections}
    )


@login_required
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "members/my_data.html")


@never_cache
@login_required
@require_safe
def data_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(services.member_data_export(member=request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="mina-uppgifter-one-team-gov.zip"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _account_delete_confirmation(request)
    if reauthentication.is_reauthentication_required(request, app=""):
        # Never keep this POST to replay after the password (allauth's decorator would): the member
        # gives the password, then sees the confirmation page again and clicks once more.
        path = reverse("members:account-delete")
        return redirect(f"{reverse('account_reauthenticate')}?{urlencode({REDIRECT_FIELD_NAME: path})}")
    services.member_delete(member=request.user)
    logout(request)
    messages.success(request, _("Your account and everything stored about you have been deleted."))
    return redirect("home")


@reauthentication_required
def _account_delete_confirmation(request: HttpRequest) -> HttpResponse:
    return render(request, "members/account_delete.html")


# What the page says after a signed-in member's switch, in the language they switched to.
MAIL_LANGUAGE_NOW = {
    "sv": gettext_noop("Mail to you is now sent in Swedish."),
    "en": gettext_noop("Mail to you is now sent in English."),
}


def language_set(request: HttpRequest) -> HttpResponse:
    """The footer's language switch (Django's set_language); for a signed-in member it is also the
    language of their mail from then on, and the page they return to says so."""
    response = set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and services.member_language_set(member=request.user, language=language):
        with translation.override(language):
            messages.success(request, _(MAIL_LANGUAGE_NOW[language]))
    return response
