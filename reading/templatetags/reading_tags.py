"""Whether the admin index offers the article reader to the user (reading/admin_views.py may_read)."""

from django import template

register = template.Library()


@register.simple_tag
def may_read_articles(user):
    from reading.admin_views import may_read

    return may_read(user)
