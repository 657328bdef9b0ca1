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

# Django's validators, form fields, formsets and model fields whose messages its
# Vietnamese catalogue lacks: a NUL byte in a field, a file's extension, too many
# rows in a formset, a value an import or a forged form could not read.
VALIDATION = [
    gettext_noop("Null characters are not allowed."),
    gettext_noop("File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", "num"),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", "num"),
    gettext_noop(
        "ManagementForm data is missing or has been tampered with. Missing fields: %(field_names)s. You may need "
        "to file a bug report if the issue persists."
    ),
    gettext_noop("The inline value did not match the parent instance."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    gettext_noop("Enter a valid domain name."),
    gettext_noop("Enter a valid %(protocol)s address."),
    gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    gettext_noop("Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."),
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
    gettext_noop(
        "Ensure this value is a multiple of step size %(limit_value)s, starting from %(offset)s, e.g. %(offset)s, "
        "%(valid_value1)s, %(valid_value2)s, and so on."
    ),
    gettext_noop("Enter a valid duration."),
    gettext_noop("The number of days must be between {min_days} and {max_days}."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop("Value must be valid JSON."),
    gettext_noop(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it may "
        "not exist."
    ),
    gettext_noop("“%(value)s” value must be either True or False."),
    gettext_noop("“%(value)s” value must be either True, False, or None."),
    gettext_noop("“%(value)s” value must be either None, True or False."),
    gettext_noop("“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format."),
    gettext_noop("“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date."),
    gettext_noop("“%(value)s” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format."),
    gettext_noop(
        "“%(value)s” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time."
    ),
    gettext_noop("“%(value)s” value must be a decimal number."),
    gettext_noop("“%(value)s” value must be a float."),
    gettext_noop("“%(value)s” value must be an integer."),
    gettext_noop("“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format."),
    gettext_noop("“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time."),
    gettext_noop("“%(value)s” is not a valid UUID."),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    # The administrator's user pages (django.contrib.auth).
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    gettext_noop(
        "Enter a valid username. This value may contain only unaccented lowercase a-z and uppercase A-Z letters, "
        "numbers, and @/./+/-/_ characters."
    ),
    gettext_noop("Conflicting form data submitted. Please try again."),
]
