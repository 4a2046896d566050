"""The admin's topics: taggit's own page, with the rules of otg.common.tags for a new or renamed tag."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin
from taggit.models import Tag

from otg.common.tags import clean_tag_names
from otg.common.text import CleanTextFormMixin


class TopicAdminForm(CleanTextFormMixin, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        names = clean_tag_names([self.cleaned_data["name"]])
        if not names:
            raise forms.ValidationError(_("Give the topic a name."), code="required")
        name = names[0]
        if Tag.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("There is already a topic “%(name)s”: names that differ only by case are one topic."),
                code="tag_exists",
                params={"name": name},
            )
        return name


admin.site.unregister(Tag)


@admin.register(Tag)
class TopicAdmin(TagAdmin):
    form = TopicAdminForm
