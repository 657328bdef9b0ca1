"""What the benchmark measures: each page of issue 6 as a Case, with the values
its URL needs found in the data itself (the partner with the most delegations,
a filter value that selects few rows and one that selects many), so that the
same command runs on the tests' tiny fixtures and on a million delegations."""

import datetime as dt
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urljoin

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode

from agreements.models import Agreement, Partnership
from delegations.models import Delegation, DelegationMember
from offices.records import home_province
from partners.models import Partner
from projects.models import Project, ProjectParticipant, Transaction
from sources.models import ReportedFigure

# Issue 6's targets, in milliseconds (p50, p95) and as a ratio to the raw SQL.
PAGE_TARGET = {"p50_ms": 100, "p95_ms": 200}
REPORT_TARGET = {"p50_ms": 300}
ADMIN_TARGET = {"p50_ms": 300}
RATIO_TARGET = 2.0
EXPORT_TARGET_ROWS_PER_S = {"csv": 100_000, "xlsx": 20_000}
EXPORT_TARGET_MEMORY_MB = 50
EXPORT_ROWS = 100_000
DEEP_PAGE = 10_000
PAGE_SIZE = 25  # common.views.FilteredListView.paginate_by


@dataclass
class Case:
    """One page to time. ``main_table``, when given, names the table whose
    slowest SELECT is the page's main query, timed raw beside the page."""

    name: str
    url: str
    who: str = "official"  # "official" (of a province), "national", "visitor" or "admin"
    group: str = "page"  # "page", "report" or "admin": which targets apply
    main_table: str = ""
    note: str = ""

    @property
    def targets(self):
        limits = {"page": PAGE_TARGET, "report": REPORT_TARGET, "admin": ADMIN_TARGET}[self.group]
        return {**limits, **({"ratio": RATIO_TARGET} if self.main_table else {})}


@dataclass
class ExportCase:
    name: str
    url: str
    file_format: str
    rows: int
    note: str = ""
    targets: dict = field(default_factory=dict)


def with_query(url, **params):
    return f"{url}?{urlencode(params)}" if params else url


def counted(queryset, column):
    """(value, count) pairs of ``column``, the most frequent first. One GROUP BY."""
    rows = queryset.exclude(**{column: None}).values_list(column).annotate(n=Count("*")).order_by("-n", column)
    return [(value, n) for value, n in rows]


def most_and_least(queryset, column):
    """The most frequent value of ``column`` (a broad filter) and the least (a selective one)."""
    pairs = counted(queryset, column)
    if not pairs:
        return None, None
    return pairs[0][0], pairs[-1][0]


def list_cases(app, base_url, main_table, selective, broad):
    """A list page with no filter, with a selective filter and with a broad one;
    a filter whose value could not be found in the data is left out."""
    cases = [Case(f"{app} list", base_url, main_table=main_table)]
    for kind, params in (("selective", selective), ("broad", broad)):
        if params and all(value not in (None, "") for value in params.values()):
            cases.append(Case(f"{app} list, {kind} filter", with_query(base_url, **params), main_table=main_table))
    return cases


def next_link(html):
    """The href of the page's rel="next" link, unescaped, or None."""
    for tag in re.findall(r"<a\b[^>]*>", html):
        if re.search(r'\brel="next"', tag) and (href := re.search(r'\bhref="([^"]*)"', tag)):
            return unescape(href.group(1))
    return None


def deep_page_url(client, base_url, rows, page=DEEP_PAGE):
    """Page 10,000 (or ``page``) of a list (25 rows a page), or its last page when
    the data holds fewer, reached as a reader gets there: by the "next" link of the
    page before it, whatever that link carries (?page=N, or a keyset cursor past
    the count cap). The one place to change when the lists page deep some other way."""
    wanted = page
    last_page = max(1, -(-rows // PAGE_SIZE))
    page = min(wanted, last_page)
    note = "" if page == wanted else f"only {last_page:,} pages in the data: the last one is timed"
    url = with_query(base_url, page=page)
    if page > 1:
        response = client.get(with_query(base_url, page=page - 1), secure=True)
        href = next_link(response.content.decode()) if response.status_code == 200 else None
        if href:
            url = urljoin(base_url, href)
        else:
            note = "; ".join(filter(None, [note, f"no next link on page {page - 1:,}: ?page={page} is timed"]))
    return url, page, note


def year_bounds():
    dated = Delegation.objects.exclude(start_date=None).values_list("start_date", flat=True)
    first, last = dated.order_by("start_date").first(), dated.order_by("-start_date").first()
    today = dt.date.today()
    return (first or today).year, (last or today).year


def export_span(rows_wanted, user=None):
    """A start date from which the newest ``rows_wanted`` delegations ``user`` reads
    (a few more when several share the boundary day) run to the end, and their
    number; no filter (every delegation) when the data holds fewer."""
    rows = Delegation.objects.visible_to(user) if user is not None else Delegation.objects.all()
    dated = rows.exclude(start_date=None)
    boundary = dated.order_by("-start_date").values_list("start_date", flat=True)[rows_wanted - 1 : rows_wanted]
    boundary = next(iter(boundary), None)
    if boundary is None:
        return {}, rows.count()
    return {"start": boundary.isoformat()}, dated.filter(start_date__gte=boundary).count()


def data_size():
    return {
        "delegations": Delegation.objects.count(),
        "members": DelegationMember.objects.count(),
        "agreements": Agreement.objects.count(),
        "projects": Project.objects.count(),
        "transactions": Transaction.objects.count(),
        "partners": Partner.objects.count(),
    }


def busiest_province():
    """The code of the province holding the most delegations (the temporary
    official's), else the only office's, else None. One GROUP BY."""
    pairs = counted(Delegation.objects.all(), "province")
    return pairs[0][0] if pairs else home_province()


def busiest_partner():
    pairs = counted(Delegation.partners.through.objects.all(), "partner")
    return Partner.objects.filter(pk=pairs[0][0]).first() if pairs else Partner.objects.order_by("pk").first()


def page_cases(data, client, official=None):
    """Every page case, its parameters read from the data. ``data`` is data_size();
    ``client``, signed in as ``official``, finds the deep page's link (page 10,000
    of the delegations that official reads: their province's)."""
    delegation_links = Delegation.partners.through.objects.all()
    agreement_links = Agreement.partners.through.objects.all()
    direction_broad, _ = most_and_least(Delegation.objects.all(), "direction")
    _, partner_few = most_and_least(delegation_links, "partner")
    status_broad, status_few = most_and_least(Delegation.objects.all(), "status")
    agreement_status, _ = most_and_least(Agreement.objects.all(), "status")
    _, agreement_partner_few = most_and_least(agreement_links, "partner")
    project_kind, _ = most_and_least(Project.objects.all(), "kind")
    _, project_partner_few = most_and_least(ProjectParticipant.objects.all(), "partner")
    country_broad, _ = most_and_least(Partner.objects.exclude(country=""), "country")
    _, kind_few = most_and_least(Partner.objects.all(), "kind")
    pair_kind, _ = most_and_least(Partnership.objects.all(), "kind")
    _, pair_partner_few = most_and_least(Partnership.objects.all(), "partner")
    figure_indicator, _ = most_and_least(ReportedFigure.objects.all(), "indicator")
    _, figure_scope_few = most_and_least(ReportedFigure.objects.all(), "scope")

    delegations = reverse("delegations:list")
    cases = [
        *list_cases(
            "delegations",
            delegations,
            "delegations_delegation",
            {"partner": partner_few},
            {"direction": direction_broad},
        ),
        *list_cases(
            "agreements",
            reverse("agreements:list"),
            "agreements_agreement",
            {"partner": agreement_partner_few},
            {"status": agreement_status},
        ),
        *list_cases(
            "projects",
            reverse("projects:list"),
            "projects_project",
            {"partner": project_partner_few},
            {"kind": project_kind},
        ),
        *list_cases(
            "partners", reverse("partners:list"), "partners_partner", {"kind": kind_few}, {"country": country_broad}
        ),
        *list_cases(
            "twinnings",
            reverse("twinnings:list"),
            "agreements_partnership",
            {"partner": pair_partner_few},
            {"kind": pair_kind},
        ),
        *list_cases(
            "figures",
            reverse("figures:list"),
            "sources_reportedfigure",
            {"scope": figure_scope_few},
            {"indicator": figure_indicator},
        ),
    ]
    rows = Delegation.objects.visible_to(official).count() if official is not None else data["delegations"]
    url, page, note = deep_page_url(client, delegations, rows)
    cases.append(Case(f"delegations list, page {page:,}", url, main_table="delegations_delegation", note=note))
    cases.append(
        Case("delegations list, anonymous visitor", delegations, who="visitor", main_table="delegations_delegation")
    )

    partner = busiest_partner()
    if partner is not None:
        words = " ".join((partner.name_en or partner.name).split()[:2])
        cases.append(Case("search", with_query(reverse("reports:search"), q=words)))
    cases += report_cases(partner)
    # The office's working day (issue 19): conferences, the due list, the month calendar, the public feed and
    # the annual plans; each reads a bounded number of rows whatever the register's size.
    cases += [
        Case("conferences list", reverse("conferences:list")),
        Case("due list", reverse("duties:due")),
        Case("month calendar", reverse("duties:month")),
        Case("public calendar feed", reverse("duties:public_feed"), who="visitor"),
        Case("annual plans", reverse("planning:list")),
    ]
    # The national role (offices/scope.py) reads every province: the same pages, over every province's rows.
    # A long project list links to its IATI shortfalls (projects/views.py) instead of counting them on every page.
    left_out = Case("projects left out of the IATI file", reverse("projects:iati_left_out"), group="report")
    cases.append(left_out)
    national = [Case("delegations list", delegations, main_table="delegations_delegation")]
    national.append(Case(left_out.name, left_out.url, group="report"))
    national += report_cases(partner)
    for case in national:
        case.name, case.who = f"{case.name}, national", "national"
    cases += national
    changelist = reverse("admin:delegations_delegation_changelist")
    cases.append(Case("admin delegations", changelist, who="admin", group="admin", main_table="delegations_delegation"))
    if status_few and status_few != status_broad:
        cases.append(
            Case(
                "admin delegations, filtered",
                with_query(changelist, status__exact=status_few),
                who="admin",
                group="admin",
                main_table="delegations_delegation",
            )
        )
    return cases


def report_cases(partner):
    """The busiest partner's dossier, the dashboard and the period report for a year and for 30 years."""
    cases = []
    if partner is not None:
        dossier = reverse("reports:dossier", args=[partner.pk])
        cases.append(Case("partner dossier (most delegations)", dossier, note=f"partner {partner.pk}"))
    cases.append(Case("dashboard", reverse("home"), group="report"))
    first, last = year_bounds()
    period = reverse("reports:period")
    cases.append(Case(f"period report, {last}", with_query(period, preset="year", year=last), group="report"))
    cases.append(
        Case(
            f"period report, {last - 29}–{last}",
            with_query(period, start=f"{last - 29}-01-01", end=f"{last}-12-31"),
            group="report",
            note="" if last - first >= 29 else f"the data starts in {first}",
        )
    )
    # The issued reports (issue 18): a few a quarter per province, so a short list whatever the data's size.
    cases.append(Case("issued reports", reverse("reports:issued")))
    return cases


def export_cases(rows_wanted=EXPORT_ROWS, official=None):
    params, rows = export_span(rows_wanted, official)
    note = "" if rows >= rows_wanted else f"only {rows:,} delegations in the data"
    return [
        ExportCase(
            f"delegations {file_format.upper()} export",
            with_query(reverse(f"delegations:export_{file_format}"), **params),
            file_format,
            rows,
            note=note,
            targets={"rows_per_s": EXPORT_TARGET_ROWS_PER_S[file_format], "memory_mb": EXPORT_TARGET_MEMORY_MB},
        )
        for file_format in ("csv", "xlsx")
    ]
