"""A partner's dossier: its names, its place in the hierarchy, and on one
timeline everything that involves it or any locality under it."""

from django.shortcuts import get_object_or_404, render

from partners.models import Partner
from reports.selectors_dossier import partner_dossier


def dossier(request, pk):
    """Partners are reference data: every dossier opens, but what it lists and
    counts is what the viewer may see. Queries: the partner, then the fourteen of
    partner_dossier()."""
    partner = get_object_or_404(Partner, pk=pk)
    return render(
        request, "reports/dossier.html", {"partner": partner, "dossier": partner_dossier(partner, request.user)}
    )
