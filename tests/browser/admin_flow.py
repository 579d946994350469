"""Helpers for the admin pages' browser tests: log in as an admin, and the data the pages show."""

from __future__ import annotations

from playwright.async_api import expect

from tests.conftest import create_staff

PASSWORD = "correct-horse-9"
DESK = (1366, 768)
WIDE = (1920, 1080)


async def log_in(page, web_server, username: str, path: str = "/workbench/") -> None:
    await page.goto(web_server.url(path))
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()


async def make_admin(username: str = "admin1") -> None:
    await create_staff(username, "admin", None, PASSWORD)


async def admin_page(open_page, web_server, path: str, viewport=DESK, username: str = "admin1"):
    """A browser page logged in as the admin ``username`` (see ``make_admin``), opened at ``path``."""
    page = await open_page(viewport=viewport)
    await log_in(page, web_server, username, path)
    await expect(page.get_by_role("heading", name="系统管理")).to_be_visible()
    return page
