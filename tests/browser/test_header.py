"""Issue #16, Header: at every width the site title, each navigation link, the account links and
Sign in / Sign out are visible, inside the viewport and clear of one another, for a signed-out
visitor, an agency publisher and the CDO (who has the most navigation items).

Set CTODP_HEADER_SHOTS=/some/dir to also save a screenshot of each role at each width."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [375, 1024, 1280, 1600]
HEIGHT = 800

# Boxes in page coordinates, and whether the element is what the browser hits at its centre (so
# something drawn over it, e.g. a menu over the title, counts as not visible).
BOXES_JS = """(selectors) => {
  const found = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) found.push(el);
  }
  return found.map((el) => {
    el.scrollIntoView({block: "center", inline: "nearest"});
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {
      name: (el.innerText || el.getAttribute("aria-label") || el.tagName).trim(),
      x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height,
      onTop: hit !== null && (hit === el || el.contains(hit)),
    };
  });
}"""

TITLE = ["#site-logo .usa-logo__text a"]
LINKS = [
    ".ctodp-header .usa-nav__primary a",
    ".ctodp-header .usa-nav__secondary a",
    ".ctodp-header .ctodp-user strong",
    ".ctodp-header .ctodp-sign-out",
    ".ctodp-header .ctodp-sign-in",
]


def _boxes(page, selectors: list[str]) -> list[dict]:
    return page.evaluate(BOXES_JS, selectors)


def _intersect(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _problems(boxes: list[dict], width: int) -> list[str]:
    problems = []
    for box in boxes:
        name = box["name"]
        if box["width"] <= 0 or box["height"] <= 0:
            problems.append(f"{name!r} has no size")
        elif box["x"] < 0 or box["x"] + box["width"] > width + 0.5:
            problems.append(
                f"{name!r} sticks out of the viewport: x={box['x']:.0f} w={box['width']:.0f}"
            )
        elif not box["onTop"]:
            problems.append(f"{name!r} is covered by something else")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if _intersect(a, b):
                problems.append(f"{a['name']!r} overlaps {b['name']!r}")
    return problems


def _check_header(page, expected: list[str], role: str) -> None:
    failures: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.goto("/")
        menu = page.locator(".ctodp-header .usa-menu-btn")
        opened = menu.count() > 0 and menu.is_visible()
        if opened:
            # Collapsed: the title and the Menu button share the bar; the links are in the menu.
            closed = _boxes(page, [*TITLE, ".ctodp-header .usa-menu-btn"])
            failures += [f"{width}px, menu closed: {p}" for p in _problems(closed, width)]
            menu.click()
            page.locator(".ctodp-header .usa-nav").wait_for(state="visible")
            page.wait_for_timeout(400)  # the menu slides in
            boxes = _boxes(page, LINKS)
        else:
            boxes = _boxes(page, TITLE + LINKS)
            assert boxes[0]["name"] == "Connecticut Open Data Program"
        failures += [f"{width}px: {p}" for p in _problems(boxes, width)]
        names = [box["name"] for box in boxes]
        missing = [name for name in expected if name not in names]
        if missing:
            failures.append(f"{width}px: missing {missing} (found {names})")
        shots = os.environ.get("CTODP_HEADER_SHOTS")
        if shots:
            page.evaluate("() => window.scrollTo(0, 0)")
            page.screenshot(path=str(Path(shots) / f"header-{role}-{width}.png"))
        if opened:
            # USWDS hides the rest of the page (aria-hidden) while its menu is open, which axe
            # reports; check the page as it is when the menu is closed.
            page.locator(".usa-nav__close").click()
            page.locator(".ctodp-header .usa-nav").wait_for(state="hidden")
        violations = axe_violations(page)
        if violations:
            failures.append(f"{width}px: axe {violations}")
    assert not failures, "\n".join(failures)


def test_signed_out_visitor_sees_sign_in_at_every_width(page):
    _check_header(page, ["Sign in"], "visitor")


def test_publisher_header_fits_at_every_width(page, publisher_a):
    sign_in(page, "bob")
    expected = ["Home", "My agency", "Inventories", "Access plans", "Publishing"]
    _check_header(page, [*expected, "Bob Baker", "Password", "API tokens", "Sign out"], "publisher")


def test_cdo_header_fits_at_every_width(page, cdo):
    sign_in(page, "cdo")
    expected = ["Home", "Inventories", "Dashboard", "Agencies", "Administration"]
    _check_header(page, [*expected, "Password", "API tokens", "Sign out"], "cdo")
