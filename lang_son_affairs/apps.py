from django.apps import AppConfig


class LangSonAffairsConfig(AppConfig):
    """The site package: settings, urls and wsgi. It stays an installed app,
    with no models, only to keep its migration history: the review, import and
    staff-profile tables it created moved to register/ and offices/ (its
    migration 0010), and a database migrated before the move or from zero
    replays the same steps."""

    name = "lang_son_affairs"
