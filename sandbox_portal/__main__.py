"""`python -m sandbox_portal --port 8001 [--host H] [--data DIR]`: serve in the foreground.

Credentials come from the same variables the product's portal adapter reads (SOCRATA_USERNAME,
SOCRATA_PASSWORD, SOCRATA_OAUTH_TOKEN), so both sides agree without extra setup.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Mapping

from .server import DEFAULT_PASSWORD, DEFAULT_USERNAME, address_of, make_server


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox_portal",
        description="Run the sandbox Socrata portal in the foreground (stop with Ctrl-C).",
    )
    parser.add_argument("--port", type=int, default=8001, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--allow-production-settings",
        action="store_true",
        help="serve even though DJANGO_SETTINGS_MODULE names production settings",
    )
    parser.add_argument(
        "--data",
        default=os.path.join("var", "sandbox-portal"),
        help="directory for the portal's SQLite file (default: var/sandbox-portal)",
    )
    return parser.parse_args(argv)


def production_settings(environ: Mapping[str, str]) -> str:
    """The production settings module this environment names, or "" (the sandbox must never
    stand in for the state's portal where the product runs for real)."""
    module = environ.get("DJANGO_SETTINGS_MODULE", "")
    return module if module.rsplit(".", 1)[-1] == "production" else ""


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    production = production_settings(os.environ)
    if production and not args.allow_production_settings:
        sys.exit(
            f"Refusing to serve: DJANGO_SETTINGS_MODULE={production} is production, and the "
            "sandbox portal is a stand-in for tests and `make run`. Pass "
            "--allow-production-settings if you really mean it."
        )
    server = make_server(
        args.host,
        args.port,
        data_dir=args.data,
        username=os.environ.get("SOCRATA_USERNAME") or DEFAULT_USERNAME,
        password=os.environ.get("SOCRATA_PASSWORD") or DEFAULT_PASSWORD,
        oauth_token=os.environ.get("SOCRATA_OAUTH_TOKEN") or None,
    )
    if not is_loopback(args.host):
        print("Warning: the sandbox portal is reachable from other machines.", file=sys.stderr)
    print(f"Sandbox portal on http://{address_of(server)}/ (data in {args.data})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Sandbox portal stopped.")
    finally:
        server.server_close()
        server.wait_idle(timeout=10)
        server.state.storage.close()


if __name__ == "__main__":
    main()
