"""The project list and a project's own page."""

from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from common import formatting
from common.pagination import written_in
from common.views import FilteredListView
from partners.models import LocalUnit
from projects.filters import ProjectFilter
from projects.iati_requirements import left_out_summary
from projects.models import LIST_NEWEST_FIRST, ParticipantRole, Project, ProjectParticipant, TransactionKind
from register.publishable import shown_to, signed_in
from sources.selectors import citations_for

# The most listed projects whose IATI shortfalls the list itself counts (about 20 ms).
INLINE_LEFT_OUT = 2_000


class ListPage(FilteredListView):
    template_name = "projects/list.html"
    filterset_class = ProjectFilter
    default_sort = "start"
    sort_options = {
        "start": (_("Start date, newest first"), tuple(map(written_in, LIST_NEWEST_FIRST))),
        "start_asc": (_("Start date, oldest first"), (F("start_on").asc(nulls_last=True), "pk")),
        # Vietnamese order (Đ after D, capitals and tones aside): the key of common/collation.py.
        "title": (_("Title (A–Z)"), ("title_sort", "pk")),
        "value": (_("Committed value, largest first"), (F("committed_vnd").desc(nulls_last=True), "-pk")),
    }

    def get_base_queryset(self):
        """One query for the page (disbursed total as a subquery), one for the
        funders and one for the locations of the rows shown."""
        funders = ProjectParticipant.objects.filter(role=ParticipantRole.FUNDING).select_related(
            "partner", "local_unit"
        )
        return (
            Project.objects.visible_to(self.request.user)
            .select_related("sector")
            .annotate(start_on=Coalesce("actual_start", "planned_start"))
            .with_disbursed_vnd()
            .prefetch_related(
                Prefetch("participants", queryset=funders, to_attr="funders"),
                Prefetch("locations", queryset=LocalUnit.objects.order_by("name")),
            )
        )

    def get_context_data(self, **kwargs):
        """Staff also learn how many of the listed aid projects the IATI file leaves
        out and why (one more query); visitors do not. Past INLINE_LEFT_OUT listed
        projects the count reads every one of them (0,2 s for a province's 30.000,
        1,6 s for the whole country's 200.000), so the list links to it instead
        (``iati.left_out``) and stays fast."""
        context = super().get_context_data(**kwargs)
        if signed_in(self.request.user):
            page = context["page_obj"]
            if page.count_capped or page.count > INLINE_LEFT_OUT:
                context["iati_left_out_link"] = True
            else:
                total, reasons = left_out_summary(context["filter"].qs)
                context["iati_left_out"] = {"total": total, "reasons": reasons}
        return context


def _participants_by_role(participants):
    """[(role label, [participant, ...]), ...] in IATI role order, empty roles left out."""
    groups = {}
    for participant in participants:
        groups.setdefault(participant.role, []).append(participant)
    return [(ParticipantRole(role).label, groups[role]) for role in sorted(groups)]


def _transaction_totals(transactions):
    """Totals in đồng: promised (commitments) and delivered (everything else), each
    saying which transactions it leaves out for want of a recent rate, with their
    amounts by currency ("+ 1 giao dịch chưa quy đổi (USD 10.000)")."""
    delivered_kinds = set(Project.objects.delivered_kinds())
    committed = delivered = 0
    has_committed = False
    missing_vnd = 0
    left_out = {"committed": {}, "delivered": {}}
    for transaction in transactions:
        line = "committed" if transaction.kind == TransactionKind.COMMITMENT else "delivered"
        if transaction.kind == TransactionKind.COMMITMENT:
            has_committed = True
        elif transaction.kind not in delivered_kinds:
            continue
        if transaction.amount_vnd is None:
            missing_vnd += 1
            count, amount = left_out[line].get(transaction.currency, (0, 0))
            left_out[line][transaction.currency] = (count + 1, amount + transaction.amount)
        elif line == "committed":
            committed += transaction.amount_vnd
        else:
            delivered += transaction.amount_vnd

    def shown(total, line):
        return formatting.vnd_total(total, [(c, n, a) for c, (n, a) in sorted(left_out[line].items())])

    return {
        "committed_vnd": committed if has_committed else None,
        "delivered_vnd": delivered,
        "missing_vnd": missing_vnd,
        "committed_shown": shown(committed, "committed") if has_committed else None,
        "delivered_shown": shown(delivered, "delivered"),
    }


def detail(request, pk):
    """Five queries: the project with its sector, participants, locations,
    transactions (with provider and receiver) and citations."""
    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("sector"), pk=pk)
    participants = [
        p
        for p in project.participants.select_related("partner", "local_unit").order_by("role", "pk")
        if shown_to(request.user, p.partner or p.local_unit) is not None
    ]
    transactions = list(project.transactions.select_related("provider", "receiver").order_by("date", "pk"))
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "participant_groups": _participants_by_role(participants),
            "locations": list(project.locations.visible_to(request.user).order_by("name")),
            "transactions": transactions,
            "totals": _transaction_totals(transactions),
            "citations": citations_for(project, request.user),
        },
    )
