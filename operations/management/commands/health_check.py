"""`manage.py health_check <url name> [--no-http]`: django-health-check's probe command, found
here so the package need not be an installed app. An installed app is imported by every
process, and the package imports redis and dnspython with its checks: a `privacy_scan` paid
for them at start-up. Its checks are imported only where they are used (operations.health)."""

from health_check.management.commands.health_check import Command as ProbeCommand


class Command(ProbeCommand):
    pass
