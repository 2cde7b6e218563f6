import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from publishing.portal_config import is_loopback
from publishing.sandbox import DEFAULT_PASSWORD, DEFAULT_USERNAME, make_server
from publishing.sandbox.server import address_of


class Command(BaseCommand):
    help = "Run the sandbox Socrata portal in the foreground (SODA.md; stop with Ctrl-C)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8001, help="0 picks a free port")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--data",
            default=str(settings.VAR_DIR / "sandbox-portal"),
            help="directory for the portal's SQLite file",
        )

    def handle(self, *args, port: int, host: str, data: str, **options) -> None:
        # The same variables the portal adapter reads, so both sides agree without extra setup.
        username = os.environ.get("SOCRATA_USERNAME") or DEFAULT_USERNAME
        password = os.environ.get("SOCRATA_PASSWORD") or DEFAULT_PASSWORD
        oauth_token = os.environ.get("SOCRATA_OAUTH_TOKEN") or None
        server = make_server(
            host,
            port,
            data_dir=data,
            username=username,
            password=password,
            oauth_token=oauth_token,
        )
        if not is_loopback(address_of(server)):
            self.stderr.write("Warning: the sandbox portal is reachable from other machines.")
        self.stdout.write(f"Sandbox portal on http://{address_of(server)}/ (data in {data})")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Sandbox portal stopped.")
        finally:
            server.server_close()
            server.wait_idle(timeout=10)
            server.state.storage.close()
