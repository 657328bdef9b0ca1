"""Reads of sources and citations used by the record pages."""

from django.contrib.contenttypes.models import ContentType

from register.publishable import shown_to
from sources.models import Citation


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
