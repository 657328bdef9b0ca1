#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lang_son_affairs.settings")
    # Commands run long statements on purpose (migrate, backup, rebuild_aggregates,
    # the job worker): they get their own statement timeout, none by default,
    # instead of the web requests' DJANGO_DB_STATEMENT_TIMEOUT (settings.py).
    os.environ["DJANGO_DB_STATEMENT_TIMEOUT"] = os.environ.get("DJANGO_DB_COMMAND_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
