from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """French first: the language chosen in the top bar (cookie), else French — never the browser's guess.

    Tourist offices share counters and browsers; Django's Accept-Language detection would show an English
    interface on an English-configured machine.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
