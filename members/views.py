from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from members.models import Member


@require_safe
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.filter(is_active=True), pk=pk)
    if not (member.is_public or request.user == member or request.user.is_staff):
        raise Http404
    return render(request, "members/member_detail.html", {"member": member})
