from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from interviews import services
from interviews.forms import InterviewAdminForm
from interviews.models import Interview, Question
from interviews.readability import lix
from otg.common.files import FilesAtomicAdmin


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 1
    fields = ["order", "question", "answer"]
    ordering = ["order", "pk"]


@admin.register(Interview)
class InterviewAdmin(FilesAtomicAdmin, admin.ModelAdmin):
    form = InterviewAdminForm
    inlines = [QuestionInline]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related_events"]
    list_display = ["title", "interviewee_name", "status", "published_at", "tag_list", "publicly_visible"]
    list_filter = ["status", "published_at", "tags"]
    search_fields = ["title", "interviewee_name", "introduction", "questions__question", "questions__answer"]
    date_hierarchy = "published_at"
    readonly_fields = ["portrait_preview", "readability"]
    actions = ["publish_now", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "published_at", "author", "tags", "related_events"]}),
        (
            _("Interviewee"),
            {"fields": ["interviewee_name", "interviewee_member", "interviewee_description"]},
        ),
        (_("Portrait"), {"fields": ["portrait", "portrait_alt", "portrait_preview"]}),
        (_("Text"), {"fields": ["introduction", "closing_text", "readability"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description=_("tags"))
    def tag_list(self, obj: Interview) -> str:
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    @admin.display(description=_("visible to everyone"), boolean=True)
    def publicly_visible(self, obj: Interview) -> bool:
        return obj.is_public

    @admin.display(description=_("preview"))
    def portrait_preview(self, obj: Interview) -> str:
        if not obj.portrait_thumb:
            return _("No portrait yet.")
        return format_html(
            '<img src="{}" alt="{}" width="160" height="160">', obj.portrait_thumb.url, obj.portrait_alt
        )

    @admin.display(description=_("readability (LIX)"))
    def readability(self, obj: Interview) -> str:
        if obj.pk is None:
            return _("Shown after the first save.")
        parts = [obj.introduction, obj.closing_text]
        parts += [q.answer for q in obj.questions.all()]
        result = lix("\n\n".join(parts))
        if result is None:
            return _("No text yet.")
        return _("LIX %(score)s: %(meaning)s (%(words)s words, %(sentences)s sentences).") % {
            "score": result.score,
            "meaning": result.meaning,
            "words": result.words,
            "sentences": result.sentences,
        }

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        if form.portrait_cleared and change:  # first, while the row still names the files to remove
            services.interview_portrait_clear(interview=obj)
        super().save_model(request, obj, form, change)
        if form.portrait_upload is not None:
            services.interview_portrait_set(
                interview=obj, upload=form.portrait_upload, alt=form.cleaned_data["portrait_alt"]
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The questions are saved only now, after the interview: refresh the text the search reads.
        services.interview_body_refresh(interview=form.instance)

    @admin.action(description=_("Publish now"), permissions=["change"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        # Interviews already public keep their date; drafts and scheduled ones go out now.
        waiting = [interview for interview in queryset if not interview.is_public]
        for interview in waiting:
            services.interview_publish(interview=interview, at=now)
        count = len(waiting)
        self.message_user(
            request,
            ngettext("%(count)d interview published.", "%(count)d interviews published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish"), permissions=["change"])
    def unpublish(self, request, queryset):
        for interview in queryset:
            services.interview_unpublish(interview=interview)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d interview unpublished.", "%(count)d interviews unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )
