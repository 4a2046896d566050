#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otg.settings")
    from django.core.management import execute_from_command_line

    from otg.configuration import NotConfigured

    try:
        execute_from_command_line(sys.argv)
    except NotConfigured as error:
        sys.exit(f"manage.py: {error}")  # one sentence that says what to set, not a traceback


if __name__ == "__main__":
    main()
