"""Django admin strings the project translates itself.

Django 5.2's own Vietnamese catalogue lacks some of the admin's strings (they
show in English: "Please correct the errors below.", "Show counts", the
screen-reader texts) and translates others misleadingly ("History" as "Bản
ghi nhớ", which is a memorandum of understanding, one of our agreement kinds;
"Add" as "Thêm vào", "add to"). The project's catalogue comes first in the
lookup (LOCALE_PATHS), so an entry there overrides Django's.

``makemessages`` only collects the strings it finds in the project's own
code, so they are listed here, exactly as Django's admin templates and
modules spell them (plural forms included). Nothing imports this module;
it exists for the catalogue. A test checks that each one is translated.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Missing from Django's catalogue: shown in English.
MISSING = [
    gettext_noop("Error:"),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below."),
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Skip to main content"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    ngettext_lazy("entry", "entries"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Forgotten your login credentials?"),
]

# Translated by Django, but wrongly or clumsily for an official reading them.
MISLEADING = [
    gettext_noop("History"),  # "Bản ghi nhớ": a memorandum of understanding
    gettext_noop("Add %(name)s"),  # "Thêm vào %(name)s": "add to ..."
    gettext_noop("Add"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Models in the %(name)s application"),
    gettext_noop("Site administration"),
    gettext_noop("Log out"),
    gettext_noop("None available"),
    gettext_noop("Unknown content"),
    # Change list: actions, selection, sorting, filters.
    gettext_noop("Action:"),
    gettext_noop("Go"),
    gettext_noop("Run the selected action"),
    gettext_noop("No action selected."),
    gettext_noop("Items must be selected in order to perform actions on them. No items have been changed."),
    gettext_noop("Click here to select the objects across all pages"),
    gettext_noop("Select all %(total_count)s %(module_name)s"),
    ngettext_lazy("%(total_count)s selected", "All %(total_count)s selected"),
    gettext_noop("0 of %(cnt)s selected"),
    ngettext_lazy("%(count)s %(name)s was changed successfully.", "%(count)s %(name)s were changed successfully."),
    gettext_noop("Sorting priority: %(priority_number)s"),
    gettext_noop("Toggle sorting"),
    gettext_noop(" By %(filter_title)s "),
    gettext_noop("Past 7 days"),
    gettext_noop("Any date"),
    gettext_noop("Empty"),
    gettext_noop("Not empty"),
    # Change form and history.
    gettext_noop("Save as new"),
    gettext_noop("Added."),
    gettext_noop("No fields changed."),
    gettext_noop("This object doesn’t have a change history. It probably wasn’t added via this admin site."),
    gettext_noop("log entry"),
    gettext_noop("log entries"),
    # Deleting.
    gettext_noop("Delete?"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop("Objects"),
    gettext_noop("No, take me back"),
    gettext_noop("Delete multiple objects"),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? '
        "All of the following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related objects, "
        "but your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the following "
        "protected related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following objects "
        "and their related items will be deleted:"
    ),
    gettext_noop(
        "Deleting %(class_name)s %(instance)s would require deleting the following protected related "
        "objects: %(related_objects)s"
    ),
    # Form validation (Django's core catalogue puts a space before the full stop).
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
]
