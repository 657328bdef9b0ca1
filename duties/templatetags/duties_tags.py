"""The admin front page's "Việc cần làm" block (templates/admin/index.html)."""

from django import template

from duties.views import admin_lines

register = template.Library()


@register.simple_tag(takes_context=True)
def due_block(context, limit=10):
    """``{"lines": the first ``limit`` lines, "count": how many in all}`` for the signed-in user."""
    lines, count = admin_lines(context["request"].user, limit)
    return {"lines": lines, "count": count}
