"""The article reader's forms: what staff give it (``ReadForm``), and one small form per proposal
on the review screen, prefilled from the reader and corrected by hand (reading/review.py builds
them, reading/accept.py saves what they hold). The choices of local units, mechanisms and partners
are lists the review screen reads once for all its forms, not querysets each form would read again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements.models import AgreementKind
from common.partial_date_fields import PartialDateField
from delegations.models import Direction, Purpose
from partners.models import PartnerKind
from reading.text import EXTENSIONS, MAX_FILE_BYTES, extract_file, extract_text
from sources.models import WEB_URL, Indicator, Qualifier, Unit


class ReadForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the article or report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        help_text=_("Paste the text here, or choose a file below."),
    )
    file = forms.FileField(
        label=_("or a file"),
        required=False,
        help_text=_("A .docx, .pdf (with a text layer), .html or .txt (UTF-8) file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    url = forms.URLField(
        label=_("address (URL)"), required=False, max_length=500, validators=[WEB_URL], assume_scheme="https"
    )
    title = forms.CharField(label=_("title"), required=False, max_length=500)
    publisher = forms.CharField(label=_("publisher"), required=False, max_length=200)
    published_on = forms.DateField(
        label=_("published on"),
        required=False,
        help_text=_("dd/mm/yyyy. Relative dates in the text (“ngày 3/4”, “sáng nay”) are read against it."),
    )

    def clean(self):
        data = super().clean()
        upload, pasted = data.get("file"), data.get("text", "")
        if upload and pasted.strip():
            raise ValidationError(_("Paste the text or choose a file, not both."), code="both")
        if not upload and not pasted.strip():
            raise ValidationError(_("Paste the text of the article, or choose a file."), code="nothing")
        if upload:
            if upload.size > MAX_FILE_BYTES:
                raise ValidationError({"file": _("The file is larger than 10 MB.")})
            try:
                extracted = extract_file(upload, upload.name)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None
            data["text"] = extracted.text
            data["file_name"] = upload.name[:255]
            # What the user typed wins over what the file says of itself.
            data["url"] = data.get("url") or extracted.url
            data["title"] = data.get("title") or extracted.title
            data["publisher"] = data.get("publisher") or extracted.publisher
            data["published_on"] = data.get("published_on") or extracted.published
        else:
            try:
                data["text"] = extract_text(pasted)
            except ValidationError as error:
                raise ValidationError({"text": error.messages}) from None
            data["file_name"] = ""
        if not data.get("title"):
            first_line = data["text"].split("\n", 1)[0]
            data["title"] = first_line if len(first_line) <= 300 else first_line[:299] + "…"
        return data


class ProposalForm(forms.Form):
    """What every proposal has: the tick, and where it goes (a new record, or a citation added to
    the register's record it repeats)."""

    take = forms.BooleanField(label=_("Accept"), required=False)
    target = forms.ChoiceField(label=_("Save as"), required=False)

    def __init__(self, *args, duplicates=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("new", _("a new draft record"))]
        choices += [(str(record.pk), _("a citation added to #%(id)s") % {"id": record.pk}) for record in duplicates]
        self.fields["target"].choices = choices

    def existing_pk(self):
        """The pk of the register's record the proposal repeats, or None for a new record."""
        target = self.cleaned_data.get("target") or "new"
        return None if target == "new" else int(target)


def _partners_field():
    return forms.MultipleChoiceField(label=_("partners"), required=False, widget=forms.CheckboxSelectMultiple)


class DelegationForm(ProposalForm):
    direction = forms.ChoiceField(label=_("direction"), choices=[("", "—"), *Direction.choices], required=False)
    title = forms.CharField(label=_("title"), max_length=300)
    purpose = forms.ChoiceField(label=_("purpose"), choices=Purpose.choices)
    start = PartialDateField(label=_("start date"), required=False)
    end = PartialDateField(label=_("end date"), required=False)
    leader_name = forms.CharField(label=_("head of delegation"), max_length=200, required=False)
    leader_title = forms.CharField(label=_("position of the head"), max_length=300, required=False)
    received_by = forms.CharField(label=_("received by"), max_length=500, required=False)
    host_unit = forms.TypedChoiceField(label=_("host or sending unit"), coerce=int, required=False, empty_value=None)
    partners = _partners_field()
    places = forms.CharField(label=_("places visited"), max_length=500, required=False)
    mechanism = forms.TypedChoiceField(label=_("cooperation mechanism"), coerce=int, required=False, empty_value=None)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if end and not start:
            self.add_error("start", _("Enter the start date as well as the end date."))
        elif start and end and start.precision != end.precision:
            self.add_error("end", _("Give both dates to the same precision (a day, a month or a year)."))
        elif start and end and end.date < start.date:
            self.add_error("end", _("The end date cannot be before the start date."))
        return data


class AgreementForm(ProposalForm):
    title = forms.CharField(label=_("title"), max_length=500)
    kind = forms.ChoiceField(label=_("kind"), choices=AgreementKind.choices)
    signed = PartialDateField(label=_("signed on"), required=False)
    partners = _partners_field()
    online = forms.BooleanField(label=_("signed online"), required=False)
    signed_place = forms.CharField(label=_("place of signing"), max_length=200, required=False)


class FigureForm(ProposalForm):
    indicator = forms.ChoiceField(label=_("indicator"), choices=Indicator.choices)
    value = forms.DecimalField(label=_("value"), max_digits=20, decimal_places=2, min_value=0, localize=True)
    unit = forms.ChoiceField(label=_("unit"), choices=Unit.choices)
    qualifier = forms.ChoiceField(label=_("qualifier"), choices=Qualifier.choices)
    period_start = PartialDateField(label=_("period start"), required=False)
    period_end = PartialDateField(label=_("period end or “as of” date"), required=False, end=True)
    scope = forms.TypedChoiceField(label=_("scope"), coerce=int)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end.date < start.date:
            self.add_error("period_end", _("The end of the period cannot be before its start."))
        return data


class NewPartnerForm(forms.Form):
    take = forms.BooleanField(label=_("Add"), required=False)
    name = forms.CharField(label=_("name"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=PartnerKind.choices)
    parent = forms.TypedChoiceField(label=_("belongs to"), coerce=int, required=False, empty_value=None)
