from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Serve Thai unless the visitor chose another language with the switcher.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which
    would show English to Thai staff whose phones are set to English.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
