"""A window clerk cannot use any admin page: the workbench says so (无权访问) and the API answers 403."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.admin_flow import PASSWORD, WIDE, log_in
from tests.conftest import create_staff

ADMIN_PAGES = [
    "/workbench/admin",
    "/workbench/admin/calendar",
    "/workbench/admin/staff",
    "/workbench/admin/items/X",
]
ADMIN_CALLS = [
    ("GET", "/api/v1/admin/catalog/items"),
    ("GET", "/api/v1/admin/notifications"),
    ("GET", "/api/v1/staff/offices"),
    ("PUT", "/api/v1/staff/calendar/2026-11-21"),
    ("POST", "/api/v1/staff/users"),
]


async def test_a_window_clerk_sees_no_admin_page(web_server, open_page, screenshot):
    await create_staff("wangfang", "window", "GA", PASSWORD)
    page = await open_page()
    await log_in(page, web_server, "wangfang", "/workbench/admin")
    await expect(page.get_by_text("无权访问")).to_be_visible()
    await expect(page.get_by_role("menuitem", name="系统管理")).to_have_count(0)
    await expect(page.get_by_role("heading", name="系统管理")).to_have_count(0)
    await screenshot(page, "forbidden-1366")
    for path in ADMIN_PAGES[1:]:
        await page.goto(web_server.url(path))
        await expect(page.get_by_text("无权访问")).to_be_visible()

    clerk = await web_server.api.staff_headers("wangfang", PASSWORD)
    for method, path in ADMIN_CALLS:
        body = {"kind": "closed"} if method == "PUT" else {} if method == "POST" else None
        resp = await web_server.client.request(method, path, json=body, headers=clerk)
        assert resp.status_code == 403, (method, path, resp.text)
        assert resp.json()["error"]["code"] == "FORBIDDEN"

    wide = await open_page(viewport=WIDE)
    await log_in(wide, web_server, "wangfang", "/workbench/admin/notifications")
    await expect(wide.get_by_text("无权访问")).to_be_visible()
    await screenshot(wide, "forbidden-1920")
