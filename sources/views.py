"""The reported figures' list: official figures as published, each with its
source and excerpt. The list shows every field, so a figure has no page of its own."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from common.views import FilteredListView
from sources.filters import FigureFilter
from sources.models import ReportedFigure
from sources.selectors import figure_period, figure_value


class FigureListPage(FilteredListView):
    template_name = "sources/figure_list.html"
    filterset_class = FigureFilter
    # Figures without a date go last both ways.
    sort_options = {
        "-period": (_("Newest first"), (F("period_end").desc(nulls_last=True), "-pk")),
        "period": (_("Oldest first"), (F("period_end").asc(nulls_last=True), "pk")),
        "indicator": (_("Indicator"), ("indicator", F("period_end").desc(nulls_last=True), "-pk")),
    }
    default_sort = "-period"

    def get_base_queryset(self):
        return ReportedFigure.objects.visible_to(self.request.user).with_list_relations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        for row in rows:
            row.shown_value, row.shown_period = figure_value(row), figure_period(row)
        context["object_list"] = rows
        return context
