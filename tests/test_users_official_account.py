"""``GET /me`` says whether the person follows the official account: the follower the bot recorded
from WeChat's subscribe event, linked by the same unionid (citizens) or by an admin (staff)."""

from __future__ import annotations

from tests.conftest import create_staff
from tests.notifications_fixtures import *  # noqa: F403  (the napp and notify_overrides fixtures)
from tests.notifications_fixtures import event_xml, push


async def _me(napp, headers: dict[str, str]) -> dict:
    resp = await napp.client.get("/api/v1/me", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def _staff_headers(napp, username: str, role: str) -> tuple[int, dict[str, str]]:
    staff = await create_staff(username, role, None)
    resp = await napp.client.post(
        "/api/v1/auth/staff", json={"username": username, "password": "correct-horse-9"}
    )
    assert resp.status_code == 200, resp.text
    return staff.id, {"Authorization": f"Bearer {resp.json()['access_token']}"}


async def test_a_citizen_follows_and_unfollows_the_official_account(napp):
    _, headers = await napp.citizen("fiona")
    assert (await _me(napp, headers))["follows_official_account"] is False

    oa_openid = napp.sim.follow("fiona")  # the same WeChat user: one unionid for both apps
    assert (await push(napp.client, event_xml(oa_openid, "subscribe"))).status_code == 200
    assert (await _me(napp, headers))["follows_official_account"] is True

    assert (await push(napp.client, event_xml(oa_openid, "unsubscribe"))).text == "success"
    assert (await _me(napp, headers))["follows_official_account"] is False


async def test_someone_else_following_does_not_count(napp):
    _, headers = await napp.citizen("gina")
    other = napp.sim.follow("harry")
    assert (await push(napp.client, event_xml(other, "subscribe"))).status_code == 200
    assert (await _me(napp, headers))["follows_official_account"] is False


async def test_a_staff_member_follows_once_an_admin_links_the_follower(napp):
    clerk_id, clerk = await _staff_headers(napp, "boss", "supervisor")
    _, admin = await _staff_headers(napp, "root", "admin")
    oa_openid = napp.sim.follow("clerk-wechat", with_unionid=False)  # staff accounts have no unionid
    assert (await push(napp.client, event_xml(oa_openid, "subscribe"))).status_code == 200
    assert (await _me(napp, clerk))["follows_official_account"] is False

    link = {"oa_openid": oa_openid, "user_id": clerk_id}
    resp = await napp.client.post("/api/v1/admin/followers/link", json=link, headers=admin)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"oa_openid": oa_openid, "user_id": clerk_id, "unionid": None, "subscribed": True}
    assert (await _me(napp, clerk))["follows_official_account"] is True
