"""Copy the front-end packages named in package.json from node_modules/ into static/vendor/.

Only the built files are copied; static/vendor/ is never committed (see .gitignore).
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

# (source inside node_modules, destination inside static/vendor)
COPIES = [
    ("@uswds/uswds/dist", "uswds"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js"),
    # The minified file names its source map; collectstatic's manifest needs it to exist.
    ("chart.js/dist/chart.umd.min.js.map", "chartjs/chart.umd.min.js.map"),
]
# Only the browser tests use these; production images (`--production`) leave them out.
DEV_COPIES = [("axe-core/axe.min.js", "axe-core/axe.min.js")]


def main() -> None:
    copies = COPIES if "--production" in sys.argv else COPIES + DEV_COPIES
    for source, destination in copies:
        src, dst = NODE / source, VENDOR / destination
        if not src.exists():
            raise SystemExit(f"{src} is missing: run `npm install` first")
        if dst.exists():
            shutil.rmtree(dst) if dst.is_dir() else dst.unlink()
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)
        print(f"copied {source} -> static/vendor/{destination}")


if __name__ == "__main__":
    main()
