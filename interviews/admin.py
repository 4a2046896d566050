import json
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from interviews import services
from interviews.forms import (
    InterviewAdminForm,
    InterviewImportForm,
    ListAutocomplete,
    OneAutocomplete,
    Publication,
)
from interviews.models import Interview, Question
from interviews.parsing import InterviewParseError, Rule, parse_interview
from interviews.readability import BANDS, LONG_WORD, lix
from interviews.readability import MAX_CHARS as LIX_MAX_CHARS
from interviews.word import LeftOut
from members.models import Member
from otg.common.files import FilesAtomicAdmin
from otg.common.text import CleanTextModelForm

MARKDOWN_HELP = _(
    "Markdown: a blank line starts a new paragraph; **bold**, *italic*, "
    "[link text](https://example.org), and a list with “- ” at the start of each line."
)
# "Add a question" saves and comes back to the change form with one empty question (?fraga=ny).
ADD_QUESTION = "_add_question"
ADD_QUESTION_PARAMETER, ADD_QUESTION_VALUE = "fraga", "ny"
# "questions-2-up": the move button pressed on the change form (see question_inline.html).
_MOVE = re.compile(r"^(?P<prefix>[\w-]+)-(?P<index>\d{1,4})-(?P<direction>up|down)$")


class QuestionInline(admin.StackedInline):
    """Questions in the order they stand: numbered by position, moved with buttons that work without JS."""

    model = Question
    form = CleanTextModelForm
    fields = ["question", "answer", "answer_readability"]
    readonly_fields = ["answer_readability"]
    ordering = ["order", "pk"]

    @admin.display(description=_("readability (LIX)"))
    def answer_readability(self, obj: Question) -> str:
        return lix_summary(obj.answer if obj and obj.pk else "", saved=bool(obj and obj.pk))

    template = "admin/interviews/interview/question_inline.html"

    def get_extra(self, request, obj=None, **kwargs):
        # No empty question is always appended: a new interview starts with room for one, and "Add a
        # question" (a submit button: it works without JavaScript) saves and comes back with one more.
        if request.GET.get(ADD_QUESTION_PARAMETER) == ADD_QUESTION_VALUE:
            return 1
        return 0 if obj is not None and obj.pk else 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "answer":
            field.help_text = MARKDOWN_HELP
        if db_field.name == "question":
            field.widget = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return field


class PublicationFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("public", _("Published")), ("scheduled", _("Scheduled")), ("draft", _("Draft"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Interview.Status.PUBLISHED)
        if self.value() == "public":
            return published.filter(published_at__lte=now)
        if self.value() == "scheduled":
            return published.filter(published_at__gt=now)
        if self.value() == "draft":
            return queryset.filter(status=Interview.Status.DRAFT)
        return queryset


class EditorAutocompleteView(AutocompleteJsonView):
    """The admin's autocomplete, letting editors pick members and topics for an interview.

    Editors may not browse the member list, so for the interview's member fields the permission is the
    interview's, the search is by name only, and only the name is sent back. Topics come back by name,
    which is what the tag field (interviews.forms.TagAutocomplete) submits.
    """

    MEMBER_FIELDS = ("author", "interviewee_member")

    def _interview_field(self) -> str:
        if self.source_field.model is Interview and self.source_field.name in (*self.MEMBER_FIELDS, "tags"):
            return self.source_field.name
        return ""

    def has_perm(self, request, obj=None):
        if self._interview_field():
            return request.user.has_perm("interviews.add_interview") or request.user.has_perm(
                "interviews.change_interview"
            )
        return super().has_perm(request, obj)

    def get_queryset(self):
        field = self._interview_field()
        if field == "tags":
            return Tag.objects.filter(name__icontains=self.term).order_by("name")
        if field:
            return Member.objects.filter(is_active=True, name__icontains=self.term).order_by("name", "pk")
        return super().get_queryset()

    def serialize_result(self, obj, to_field_name):
        field = self._interview_field()
        if field == "tags":
            return {"id": obj.name, "text": obj.name}
        if field:
            return {"id": str(obj.pk), "text": obj.name or str(_("(no name)"))}
        return super().serialize_result(obj, to_field_name)


# The one admin site's autocomplete goes through the view above (it falls back to Django's own for
# every other field). Set here, at admin discovery, before the admin's URLs are built.
admin.site.autocomplete_view = lambda request: EditorAutocompleteView.as_view(admin_site=admin.site)(request)


@admin.register(Interview)
class InterviewAdmin(FilesAtomicAdmin, admin.ModelAdmin):
    form = InterviewAdminForm
    inlines = [QuestionInline]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related_events", "author", "interviewee_member"]
    list_display = ["title", "interviewee_name", "publication", "tag_list"]
    list_filter = [PublicationFilter, "published_at", "tags"]
    search_fields = ["title", "interviewee_name", "introduction", "questions__question", "questions__answer"]
    date_hierarchy = "published_at"
    readonly_fields = ["portrait_preview", "readability"]
    actions = ["publish_now", "unpublish"]
    # The publishing control (publication.html) stands at the top and the bottom of the form.
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "tags", "related_events"]}),
        (
            _("Interviewee"),
            {"fields": ["interviewee_name", "interviewee_member", "interviewee_description"]},
        ),
        (_("Portrait"), {"fields": ["portrait", "portrait_alt", "portrait_preview"]}),
        (_("Text"), {"fields": ["introduction", "closing_text", "readability"]}),
    ]

    def get_queryset(self, request):
        # Whether each interview is public now, by the one rule (Interview.objects.published()).
        public = Interview.objects.published().filter(pk=OuterRef("pk"))
        return super().get_queryset(request).prefetch_related("tags").annotate(is_public_now=Exists(public))

    def get_urls(self):
        return [
            path(
                "importera/",
                self.admin_site.admin_view(self.import_view),
                name="interviews_interview_import",
            ),
            path(
                "<path:object_id>/publicering/",
                self.admin_site.admin_view(self.publication_view),
                name="interviews_interview_publication",
            ),
            *super().get_urls(),
        ]

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.method == "POST" and (action := Publication.requested(request.POST)):
            return type(form.__name__, (form,), {"publication_requested": action})
        return form

    class Media:
        js = ["js/lix.js"]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["publication_state"] = Interview.publication_words(obj)
        context["lix_strings"] = json.dumps(lix_strings(), ensure_ascii=False)
        context["is_public_now"] = bool(obj and Interview.objects.published().filter(pk=obj.pk).exists())
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("introduction", "closing_text"):
            field.help_text = MARKDOWN_HELP
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("author", "interviewee_member"):
            kwargs["widget"] = OneAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "related_events":
            kwargs["widget"] = ListAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def view_on_site(self, obj: Interview) -> str:
        # A path, so the link goes to the site the editor is using, not to SITE_URL or the Site's domain.
        return obj.get_absolute_url()

    @admin.display(description=_("tags"))
    def tag_list(self, obj: Interview) -> str:
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    @admin.display(description=_("publication"), ordering="published_at")
    def publication(self, obj: Interview) -> str:
        if obj.status != Interview.Status.PUBLISHED:
            return _("Draft")
        when = date_format(timezone.localtime(obj.published_at), "j F Y H:i")
        if obj.is_public_now:
            return _("Published %(time)s") % {"time": when}
        return _("Scheduled for %(time)s") % {"time": when}

    @admin.display(description=_("preview"))
    def portrait_preview(self, obj: Interview) -> str:
        if not obj.portrait_thumb:
            return _("No portrait yet.")
        return format_html(
            '<img src="{}" alt="{}" width="160" height="160">', obj.portrait_thumb.url, obj.portrait_alt
        )

    @admin.display(description=_("readability (LIX) of the whole"))
    def readability(self, obj: Interview) -> str:
        if obj.pk is None:
            return lix_summary("", saved=False, whole=True)
        # What the reader reads: the introduction, every question and answer, and the closing text.
        parts = [obj.introduction]
        for question in obj.questions.all():
            parts += [question.question, question.answer]
        parts.append(obj.closing_text)
        return lix_summary("\n\n".join(parts), saved=True, whole=True)

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        if form.portrait_cleared and change:  # first, while the row still names the files to remove
            services.interview_portrait_clear(interview=obj)
        super().save_model(request, obj, form, change)
        action = form.publication_requested
        if action == Publication.PUBLISH and not Interview.objects.published().filter(pk=obj.pk).exists():
            services.interview_publish(interview=obj, at=timezone.now())
        elif action == Publication.SCHEDULE:
            services.interview_publish(interview=obj, at=form.cleaned_data["schedule_at"])
        elif action == Publication.UNPUBLISH:
            services.interview_unpublish(interview=obj)
        if form.portrait_upload is not None:
            services.interview_portrait_set(
                interview=obj, upload=form.portrait_upload, alt=form.cleaned_data["portrait_alt"]
            )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not Question:
            return
        # Numbered by where they stand on the form; a pressed move button swaps one with its neighbour.
        questions = [
            f.instance for f in formset.forms if f not in formset.deleted_forms and f.instance.pk is not None
        ]
        move = _MOVE.match(request.POST.get("_move", ""))
        if move and move["prefix"] == formset.prefix:
            index = int(move["index"])
            forms_by_index = dict(enumerate(formset.forms))
            moved = forms_by_index.get(index)
            if moved is not None and moved.instance in questions:
                at = questions.index(moved.instance)
                other = at - 1 if move["direction"] == "up" else at + 1
                if 0 <= other < len(questions):
                    questions[at], questions[other] = questions[other], questions[at]
        services.interview_questions_order(interview=form.instance, questions=questions)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The questions are saved only now, after the interview: refresh the text the search reads.
        services.interview_body_refresh(interview=form.instance)

    def _after_save(self, request, obj):
        """The answer to the preview, publish and move buttons; None for Django's own buttons."""
        change_url = reverse("admin:interviews_interview_change", args=[obj.pk])
        if "_move" in request.POST:
            return HttpResponseRedirect(change_url + "#questions-group")
        if ADD_QUESTION in request.POST:
            return HttpResponseRedirect(
                f"{change_url}?{ADD_QUESTION_PARAMETER}={ADD_QUESTION_VALUE}#questions-new"
            )
        if "_preview" in request.POST:
            # The page itself carries the way back and the way on (the editor's bar on the interview page).
            self.message_user(
                request, _("Saved. This is how the interview will look on the site."), messages.INFO
            )
            return HttpResponseRedirect(obj.get_absolute_url())
        if Publication.UNPUBLISH in request.POST:
            self.message_user(
                request, _("“%(title)s” is unpublished: it is a draft again.") % {"title": obj.title}
            )
            return HttpResponseRedirect(change_url)
        if Publication.PUBLISH in request.POST or Publication.SCHEDULE in request.POST:
            obj.refresh_from_db(fields=["status", "published_at"])
            if Interview.objects.published().filter(pk=obj.pk).exists():
                text = _("“%(title)s” is published.") % {"title": obj.title}
            else:
                text = _("“%(title)s” is scheduled for %(time)s.") % {
                    "title": obj.title,
                    "time": date_format(timezone.localtime(obj.published_at), "j F Y H:i"),
                }
            self.message_user(
                request,
                format_html('{} <a href="{}">{}</a>', text, obj.get_absolute_url(), _("View on site")),
                messages.SUCCESS,
            )
            return redirect("admin:interviews_interview_changelist")
        return None

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._after_save(request, obj) or super().response_change(request, obj)

    def publication_view(self, request, object_id):
        """The editor's bar on the interview page: publish now, schedule, or unpublish, without the form."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:interviews_interview_change", obj.pk)
        action = Publication.requested(request.POST)
        if action == Publication.UNPUBLISH:
            services.interview_unpublish(interview=obj)
            self.message_user(
                request, _("“%(title)s” is unpublished: it is a draft again.") % {"title": obj.title}
            )
        elif action == Publication.PUBLISH:
            if not Interview.objects.published().filter(pk=obj.pk).exists():
                services.interview_publish(interview=obj, at=timezone.now())
            self.message_user(
                request, _("“%(title)s” is published.") % {"title": obj.title}, messages.SUCCESS
            )
        elif action == Publication.SCHEDULE:
            field = forms.DateTimeField(required=False)
            try:
                at = field.clean(request.POST.get("schedule_at", ""))
            except forms.ValidationError:
                at = None
            if at is None or at <= timezone.now():
                self.message_user(request, _("Choose a time in the future, or publish now."), messages.ERROR)
            else:
                services.interview_publish(interview=obj, at=at)
                self.message_user(
                    request,
                    _("“%(title)s” is scheduled for %(time)s.")
                    % {"title": obj.title, "time": date_format(timezone.localtime(at), "j F Y H:i")},
                    messages.SUCCESS,
                )
        return HttpResponseRedirect(obj.get_absolute_url())

    def import_view(self, request):
        """Import an interview from text or a Word document: review what was found, then create a draft."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InterviewImportForm(request.POST or None, request.FILES or None, owner=request.user)
        parsed = None
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["source_text"]
            try:
                parsed = parse_interview(text)
            except InterviewParseError as error:
                form.add_error(None, str(error))
            else:
                name = form.cleaned_data["interviewee_name"].strip() or parsed.name
                title = form.cleaned_data["title"].strip() or parsed.title
                if not name:
                    form.add_error(
                        "interviewee_name",
                        _("Write the name: the headline does not give it (“Intervju med …”)."),
                    )
                    parsed = None
                elif "_create" in request.POST:
                    interview = services.interview_import_text(
                        text=text, interviewee_name=name, title=title, author=request.user
                    )
                    services.import_upload_done(upload=form.kept)
                    count = interview.questions.count()
                    self.message_user(
                        request,
                        ngettext(
                            "A draft with %(count)d question was created. Check it, then publish.",
                            "A draft with %(count)d questions was created. Check it, then publish.",
                            count,
                        )
                        % {"count": count},
                        messages.SUCCESS,
                    )
                    return redirect("admin:interviews_interview_change", interview.pk)
                else:
                    # The review carries the text on, with the name and title found in it, so that
                    # neither the file nor what the document says need be given again.
                    form = InterviewImportForm(
                        initial={
                            "interviewee_name": name,
                            "title": title,
                            "text": text,
                            "upload": form.kept.pk if form.kept else None,
                        },
                        owner=request.user,
                    )
        left_out = form.kept.left_out if form.kept else {}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import from text"),
            "form": form,
            "parsed": parsed,
            "kept": form.kept,
            "left_out": [_left_out_text(kind, count) for kind, count in left_out.items() if count],
            "rule_label": parsed and _RULE_LABELS[parsed.rule],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/interviews/interview/import.html", context)

    @admin.action(description=_("Publish now"), permissions=["change"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        # Interviews already public keep their date; drafts and scheduled ones go out now.
        waiting = list(queryset.exclude(pk__in=Interview.objects.published().values("pk")))
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


_RULE_LABELS = {
    Rule.QUESTION_MARK: _("Each paragraph that ends in a question mark became a question."),
    Rule.BOLD: _(
        "The questions are in bold, so only bold paragraphs became questions; "
        "paragraphs that end in a question mark elsewhere stayed in their answer."
    ),
    Rule.LABEL: _(
        "The questions are marked (“Fråga:”, “F:” or “Q:”), so only marked paragraphs became questions; "
        "paragraphs that end in a question mark elsewhere stayed in their answer."
    ),
    Rule.HEADING: _(
        "The questions are headings, so only headings became questions; "
        "paragraphs that end in a question mark elsewhere stayed in their answer."
    ),
    Rule.NUMBERED: _(
        "The questions are numbered, so only numbered questions became questions; "
        "paragraphs that end in a question mark elsewhere stayed in their answer."
    ),
    Rule.INITIALS: _(
        "The questions start with the interviewer's initials, so only those paragraphs became questions; "
        "paragraphs that end in a question mark elsewhere stayed in their answer."
    ),
}


def lix_summary(text: str, *, saved: bool, whole: bool = False) -> str:
    """The LIX line the change form shows, in an element static/js/lix.js keeps current while writing.

    Without JavaScript the line is the saved text's, as computed here on each load.
    """
    if not saved:
        shown = format_html("{}", _("Shown after saving."))
    elif (result := lix(text)) is None:
        shown = format_html("{}", _("No text yet."))
    else:
        shown = format_html(
            "<strong>{}</strong> ({})",
            result.label,
            _("%(meaning)s; %(words)s words, %(sentences)s sentences, %(long)s long words")
            % {
                "meaning": result.meaning,
                "words": result.words,
                "sentences": result.sentences,
                "long": result.long_words,
            },
        )
    return format_html('<span class="lix" data-lix="{}">{}</span>', "whole" if whole else "answer", shown)


def lix_strings() -> dict:
    """What static/js/lix.js needs to word a score as the server does, in the editor's language."""
    return {
        "label": str(_("LIX %(score)d – %(band)s")),  # noqa: RUF001
        "details": str(_("%(meaning)s; %(words)s words, %(sentences)s sentences, %(long)s long words")),
        "empty": str(_("No text yet.")),
        "bands": [[bound, str(name), str(example)] for bound, name, example in BANDS],
        "long_word": LONG_WORD,
        "max_chars": LIX_MAX_CHARS,
    }


def _left_out_text(kind: str, count: int) -> str:
    """What the review says about a part of the document the interview does not take along."""
    texts = {
        LeftOut.IMAGES: ngettext(
            "%(count)d image was not taken along.", "%(count)d images were not taken along.", count
        ),
        LeftOut.TABLES: ngettext(
            "%(count)d table was not taken along.", "%(count)d tables were not taken along.", count
        ),
        LeftOut.COMMENTS: ngettext(
            "%(count)d comment was not taken along.", "%(count)d comments were not taken along.", count
        ),
        LeftOut.FOOTNOTES: ngettext(
            "%(count)d footnote was not taken along.", "%(count)d footnotes were not taken along.", count
        ),
        LeftOut.TRACKED_CHANGES: ngettext(
            "%(count)d tracked change was read as accepted.",
            "%(count)d tracked changes were read as accepted.",
            count,
        ),
    }
    return texts.get(kind, "") % {"count": count}
