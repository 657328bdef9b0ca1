import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lang_son_affairs.settings")
application = get_wsgi_application()
