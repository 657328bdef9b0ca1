"""The annual plans on the site, for the province's signed-in users (national users
read every province's); a visitor is answered 404, as for a page that is not there."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from planning import exports
from planning.selectors import plan_view, plans_for
from register.publishable import signed_in


def _readable(request):
    if not signed_in(request.user):
        raise Http404
    return plans_for(request.user)


@require_GET
def plan_list(request):
    plans = _readable(request).order_by("-year", "province")
    return render(request, "planning/plan_list.html", {"plans": plans})


@require_GET
def plan_detail(request, pk):
    plan = get_object_or_404(_readable(request), pk=pk)
    return render(request, "planning/plan_detail.html", {"view": plan_view(plan), "plan": plan})


@require_GET
def plan_xlsx(request, pk):
    plan = get_object_or_404(_readable(request), pk=pk)
    return exports.plan_response(plan_view(plan), request.user)
