from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from taggit.models import Tag

from members import services
from members.forms import ProfileForm
from members.models import Member
from otg.common.caching import FRAGMENT_TIMEOUT, CountedPaginator, content_version

MEMBERS_PER_PAGE = 24


@require_safe
def member_list(request: HttpRequest) -> HttpResponse:
    public = Member.objects.public()
    # One query reads the version of every public profile (how many, latest change); the list is
    # rendered once per version and address, and an unfiltered list takes its count from it too.
    version = content_version(public)
    members = public.with_interests()
    query = request.GET.get("q", "").strip()[:100]
    if query:
        members = members.filter(name__icontains=query)
    tag = None
    if slug := request.GET.get("amne", "").strip():
        tag = Tag.objects.filter(slug=slug[:100]).first()
        members = members.filter(interests=tag) if tag else members.none()
    members = members.order_by("name", "pk")
    if query or slug:
        paginator = Paginator(members, MEMBERS_PER_PAGE)
    else:
        paginator = CountedPaginator(members, MEMBERS_PER_PAGE, count=version.count)
    page = paginator.get_page(request.GET.get("sida"))
    return render(
        request,
        "members/member_list.html",
        {
            "page": page,
            "query": query,
            "tag": tag,
            "tag_slug": slug,
            "filtered": bool(query or slug),
            "version": version,
            "fragment_timeout": FRAGMENT_TIMEOUT,
        },
    )


@require_safe
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.filter(is_active=True).prefetch_related("interests"), pk=pk)
    if not (member.is_public or request.user == member or request.user.is_staff):
        raise Http404
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
                services.member_set_portrait(member=member, upload=upload)
        except ValidationError as error:
            form.add_error("portrait_upload", error)
        else:
            if form.cleaned_data["remove_portrait"]:
                services.member_remove_portrait(member=member)
            services.member_update_profile(member=member, **form.profile_data())
            messages.success(request, _("Your profile has been saved."))
            return redirect(member)
    return render(request, "members/profile_edit.html", {"form": form, "member": member})


@login_required
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "members/my_data.html")


@never_cache
@login_required
@require_safe
def data_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(services.member_export_data(member=request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="mina-uppgifter-one-team-gov.zip"'
    return response


@login_required
@reauthentication_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.member_delete(member=request.user)
        logout(request)
        messages.success(request, _("Your account and everything stored about you have been deleted."))
        return redirect("home")
    return render(request, "members/account_delete.html")
