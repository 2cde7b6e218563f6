"""`make run`: print where the app is and how to sign in, then start every process with honcho."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    port = os.environ.get("PORT", "8000")
    os.environ["PORT"] = port
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctodp.settings.local")
    # Processes started by honcho find the venv's executables first.
    os.environ["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"
    (ROOT / "var").mkdir(exist_ok=True)
    import django

    django.setup()
    from program.management.commands.seed_demo import DEMO_AGENCIES, DEMO_PASSWORD

    people = ["cdo (Chief Data Officer)", "dapa (DAPA analyst)", "portal (portal administrator)"]
    people += [f"ado.{slug}, pub.{slug}, viewer.{slug}" for slug in DEMO_AGENCIES]
    print(f"\n  ctodp is starting on  http://127.0.0.1:{port}/")
    print(f"  Demo logins (password '{DEMO_PASSWORD}'):")
    for line in people:
        print(f"    {line}")
    print("  Sandbox Socrata portal: http://127.0.0.1:8001/ (user sandbox, password sandbox)")
    print("  Stop with Ctrl-C.\n", flush=True)
    os.chdir(ROOT)
    honcho = str(ROOT / ".venv" / "bin" / "honcho")
    os.execv(honcho, [honcho, "start", "-f", "Procfile.dev"])


if __name__ == "__main__":
    main()
