"""Reads of sources and citations used by the record pages, and a reported
figure's value and period in words (the figures' list, the partner's dossier)."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from common import formatting
from common.partial_dates import format_partial_date
from register.publishable import shown_to
from sources.models import Citation, Qualifier, Unit


def citations_for(obj, user):
    """The citations of one record with their sources: one query (the content
    type comes from Django's cache). Each has ``shown_source``: its source when
    ``user`` may see it, else None, and then the pages show that the record
    rests on a source not yet published, with neither the source's title nor
    the excerpt (a verbatim quote of the unpublished text) nor its locator."""
    content_type = ContentType.objects.get_for_model(type(obj))
    citations = list(
        Citation.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("source")
        .order_by("source__published_on", "pk")
    )
    for citation in citations:
        citation.shown_source = shown_to(user, citation.source)
    return citations


def figure_value(figure):
    """“nearly 20”, “over 1.000 persons”, “224,5 million USD”."""
    if figure.unit in (Unit.VND, Unit.USD):
        value = formatting.large_amount(figure.value, figure.unit)
    elif figure.unit == Unit.PERSONS:
        value = _("%(n)s persons") % {"n": formatting.number(figure.value)}
    else:
        value = formatting.number(figure.value)
    qualifiers = {Qualifier.ABOUT: _("nearly"), Qualifier.OVER: _("over"), Qualifier.UNDER: _("under")}
    if figure.qualifier in qualifiers:
        return f"{qualifiers[figure.qualifier]} {value}"
    return value


def figure_period(figure):
    """ "01/01/2024 – 31/03/2024", "as of 30/06/2012", "" for an undated figure."""
    start = format_partial_date(figure.period_start, figure.period_precision)
    end = format_partial_date(figure.period_end, figure.period_precision)
    if start and end:
        return f"{start} – {end}"
    if end:
        return _("as of %(date)s") % {"date": end}
    if start:
        return _("since %(date)s") % {"date": start}
    return ""
