"""Forms of the unconference board: propose, edit, notes, hide, invite, and the hosts' rooms, slots and
places."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from events.forms import StockholmDateTimeField
from events.models import Room, Session, Slot
from otg.common.text import CleanTextFormMixin


class SessionProposeForm(CleanTextFormMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["title", "pitch", "format", "chatham_house"]
        labels = {"format": _("Kind of session")}
        widgets = {"pitch": forms.Textarea(attrs={"rows": 5}), "format": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is 500 characters as stored (NFC), which the server counts and explains keeping the
        # text; a browser's maxlength counts UTF-16 units before NFC (an emoji or a decomposed letter
        # twice) and would cut a pasted pitch short without a word.
        self.fields["pitch"].widget.attrs.pop("maxlength", None)


class SessionEditForm(SessionProposeForm):
    """What a proposer (or a host) may change of a session once it is on the board."""


class SessionNotesForm(CleanTextFormMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 10})}


class SessionHideForm(CleanTextFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is it hidden? The proposer sees this."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


class SessionInviteForm(CleanTextFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email address of the person you invite"))


class RoomForm(CleanTextFormMixin, forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "seats"]


class SlotForm(forms.ModelForm):
    # Read as Stockholm's clock whoever types it (a host abroad would otherwise type their own).
    starts = StockholmDateTimeField(label=_("starts"), help_text=_("Swedish time."))
    ends = StockholmDateTimeField(label=_("ends"), help_text=_("Swedish time."))

    class Meta:
        model = Slot
        fields = ["starts", "ends"]

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("A slot ends after it starts."))
        return data


def slot_label(slot: Slot) -> str:
    """A slot as a choice: with its day, since an event of two days has 10:00-11:00 twice."""
    return f"{formats.date_format(timezone.localtime(slot.starts), 'j F')}, {slot}"


class PlaceForm(forms.Form):
    """Where one session goes: a room and a slot of its event (the choices are that event's)."""

    session = forms.ModelChoiceField(queryset=Session.objects.none(), widget=forms.HiddenInput)
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), empty_label=_("Not placed"), required=False
    )
    slot = forms.ModelChoiceField(
        label=_("Time"), queryset=Slot.objects.none(), empty_label=_("Not placed"), required=False
    )

    def __init__(self, *args, event, rooms=None, slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.shown().filter(event=event)
        self.fields["room"].queryset = Room.objects.filter(event=event)
        self.fields["slot"].queryset = Slot.objects.filter(event=event)
        self.fields["slot"].label_from_instance = slot_label
        # Given when one page shows a form per session: the choices read once, not per form.
        if rooms is not None:
            self.fields["room"].choices = [("", _("Not placed"))] + [
                (r.pk, f"{r.name} ({r.seats})") for r in rooms
            ]
        if slots is not None:
            self.fields["slot"].choices = [("", _("Not placed"))] + [(s.pk, slot_label(s)) for s in slots]

    def clean(self):
        data = super().clean()
        if bool(data.get("room")) != bool(data.get("slot")):
            raise forms.ValidationError(_("Choose both a room and a time, or neither to take it out."))
        return data
