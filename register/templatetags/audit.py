"""{% load audit %}{% record_changes record as changes %}: a record's change
history for its page (register/history.py; three queries). Templates show it to
signed-in users only: visitors do not see who edited what."""

from django import template

from register import history

register = template.Library()


@register.simple_tag
def record_changes(record, limit=30):
    return history.changes(record, limit=limit)
