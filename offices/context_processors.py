"""``office`` in every template: the profile's names for the header, the
footer and the page titles. Read from the cache (offices/profile.py): no query
once the process has read it."""

from django.utils.functional import SimpleLazyObject

from offices.profile import current_profile


def office(request):
    # Lazy: a template that never names the office (a JSON or XML response) does not read it.
    return {"office": SimpleLazyObject(current_profile)}
