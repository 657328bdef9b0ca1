"""The site's language: Vietnamese unless the user chose another.

Django's LocaleMiddleware follows the browser's Accept-Language header, so an
official whose browser is set to English got an English register, although
the office works in Vietnamese (DESIGN.md: Vietnamese by default). Here the
header is ignored: the language is the one picked with the switcher in the
page header (Django's ``set_language`` view stores it in the language
cookie), else ``LANGUAGE_CODE``. The site has no language prefixes in its URLs.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


def chosen_language(request):
    """The language of the cookie when it is one of LANGUAGES, else the default."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(MiddlewareMixin):
    """In place of LocaleMiddleware: activates ``chosen_language(request)``."""

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The page depends on the language cookie, not on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
