"""The web container's healthcheck (docker-compose.yml): GET /healthz on this host, as the
proxy would send it (the first allowed host, https forwarded). Exit 0 only on 200. Standard
library only: it runs every few seconds and must not load Django."""

from __future__ import annotations

import http.client
import os
import sys


def main() -> int:
    host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    port = int(os.environ.get("PORT", "8000"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"})
        status = connection.getresponse().status
    except OSError as error:
        print(f"/healthz: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    print(f"/healthz: {status}")
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
