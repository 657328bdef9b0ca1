"""Reads of sources and citations used by the record pages."""

from django.contrib.contenttypes.models import ContentType

from sources.models import Citation


def citations_for(obj):
    """The citations of one record with their sources: one query (the content
    type comes from Django's cache)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return list(
        Citation.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("source")
        .order_by("source__published_on", "pk")
    )
