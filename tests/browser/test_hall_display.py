"""The hall TV page at 1920×1080: large 叫号 type, the called numbers, and a feed that is not there yet."""

from __future__ import annotations

import json

from playwright.async_api import expect

from tests.browser.conftest import TV

FEED = {
    "office": {"code": "SMZX", "name": "市民中心政务服务大厅"},
    "called": [
        {"number": "A012", "window": "3", "called_at": "2026-05-11T09:30:00+08:00"},
        {"number": "B004", "window": "5", "called_at": "2026-05-11T09:29:10+08:00"},
        {"number": "A011", "window": "1", "called_at": "2026-05-11T09:28:40+08:00"},
    ],
}


async def _fits_the_screen(page) -> None:
    size = await page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= TV[0] and size[1] <= TV[1], size


async def test_the_tv_shows_the_called_numbers_in_large_type(web_server, open_page, screenshot):
    page = await open_page(viewport=TV)
    requested: list[str] = []

    async def feed(route) -> None:
        requested.append(route.request.url)
        await route.fulfill(status=200, content_type="application/json", body=json.dumps(FEED))

    await page.route("**/api/v1/hall/SMZX/feed", feed)
    await page.goto(web_server.url("/hall/SMZX"))

    await expect(page.get_by_role("heading", name="叫号", exact=True)).to_be_visible()
    await expect(page.get_by_test_id("latest-number")).to_have_text("A012")
    await expect(page.get_by_text("请到 3 号窗口")).to_be_visible()
    await expect(page.get_by_text("市民中心政务服务大厅")).to_be_visible()
    await expect(page.get_by_text("B004")).to_be_visible()
    title_px = await page.get_by_role("heading", name="叫号", exact=True).evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    number_px = await page.get_by_test_id("latest-number").evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert title_px >= 80 and number_px >= 200, (title_px, number_px)
    await _fits_the_screen(page)
    assert requested and requested[0].endswith("/api/v1/hall/SMZX/feed")
    assert page.foreign_requests == []
    await screenshot(page, "called")


async def test_the_tv_page_says_when_the_feed_is_not_available(web_server, open_page, screenshot):
    answer = await web_server.client.get("/api/v1/hall/SMZX/feed")
    page = await open_page(viewport=TV)
    await page.goto(web_server.url("/hall/SMZX"))
    await expect(page.get_by_role("heading", name="叫号", exact=True)).to_be_visible()
    if answer.status_code == 404:
        await expect(page.get_by_text("叫号信息暂未开通")).to_be_visible()
    else:  # once the server has the feed, the page is live
        await expect(page.get_by_text("叫号信息暂未开通")).to_have_count(0)
    await _fits_the_screen(page)
    await screenshot(page, "no-feed")
