"""What a list's XLSX says above its header and how it prints: the title rows
(the list's name, its period and filters in words, when and by whom it was
exported, the office) and the page setup. The rows are one cell each, in
column A, so that the imports find the header below them
(register/import_reading.py ``table``)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from common import formatting
from offices.site_scope import shown_profile
from register.filter_words import filters_line


def title_lines(title, filterset, user):
    """The list's title, its period and filters (from ``filterset``'s cleaned data),
    "Xuất ngày dd/mm/yyyy HH:MM bởi <user>", and the office whose register it is
    (the shown province's). No query: the profile is cached, the filters validated."""
    now = timezone.localtime()
    who = formatting.person_name(user) if user.is_authenticated else _("a visitor")
    exported = _("Exported on %(day)s %(time)s by %(user)s") % {
        "day": f"{now:%d/%m/%Y}",
        "time": f"{now:%H:%M}",
        "user": who,
    }
    return [str(title), filters_line(filterset), exported, str(shown_profile(user).shown_office_name)]


def title_rows(workbook, lines):
    """(text, format) for each title row: the first large and bold, the others in italics."""
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    line_format = workbook.add_format({"italic": True})
    return [(line, title_format if index == 0 else line_format) for index, line in enumerate(lines)]


def print_setup(worksheet, header_row):
    """A list as it is printed: landscape A4, as wide as the page, the header
    row repeated on every page and frozen on screen, the page numbers below."""
    worksheet.set_landscape()
    worksheet.set_paper(9)  # A4
    worksheet.fit_to_pages(1, 0)  # one page wide, as many pages long as it takes
    worksheet.repeat_rows(header_row)
    worksheet.freeze_panes(header_row + 1, 0)
    worksheet.set_footer("&C" + _("Page &P of &N"))
