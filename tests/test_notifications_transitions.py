"""The outbox row's transition table, walked: from every status, every action of the table either
moves the row where the table says (allowed) or leaves it untouched (refused) — through the
functions the senders use and the admin's requeue endpoint. The admin's status filter takes
exactly the table's statuses."""

from __future__ import annotations

from datetime import timedelta

from citizen_api import clock
from citizen_api.db import atomic
from notifications import dispatcher, outbox
from notifications import repository as repo
from notifications.models import Notification
from notifications.transitions import ACTIONS, OUTCOMES, STATUSES, TRANSITIONS
from tests.conftest import assert_error, create_staff
from tests.notifications_fixtures import *  # noqa: F403  (the napp and notify_overrides fixtures)

ATTEMPT = "attempt-of-the-walk"


async def _admin(napp) -> dict[str, str]:
    await create_staff("root", "admin", None)
    resp = await napp.client.post(
        "/api/v1/auth/staff", json={"username": "root", "password": "correct-horse-9"}
    )
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


async def _row_in(status: str, user_id: int) -> int:
    """A row in ``status``, as due as it can be: a pending row's time has come, a sending row's
    lease ran out (its sender died), so only the table decides what may happen to it."""
    async with atomic():
        row_id = await outbox.enqueue(user_id, "case.accepted", {"number": "T1"})
    past = clock.now() - timedelta(minutes=5)
    await Notification.filter(id=row_id).update(
        status=status, attempt_id=ATTEMPT, lease_until=past, next_attempt_at=past
    )
    return row_id


async def _do(napp, admin: dict[str, str], row_id: int, action: str) -> bool:
    """Take ``action`` on the row the way the system does; whether it was taken."""
    if action == "claim":
        return await dispatcher.claim(row_id, napp.settings) is not None
    if action in OUTCOMES:
        return await repo.finish(row_id, ATTEMPT, action, reason="walk")
    assert action == "requeue"
    resp = await napp.client.post(
        "/api/v1/admin/notifications/requeue", json={"ids": [row_id]}, headers=admin
    )
    assert resp.status_code == 200, resp.text
    return resp.json()["requeued"] == 1


async def test_every_status_and_action_of_the_outbox_table(napp):
    await napp.state.dispatcher.stop()  # the test is the only sender
    user_id, _ = await napp.citizen("walker")
    admin = await _admin(napp)
    assert set(ACTIONS) == {"claim", "send", "skip", "retry", "give_up", "requeue"}
    walked = []
    for status in STATUSES:
        for action in ACTIONS:
            row_id = await _row_in(status, user_id)
            allowed = (status, action) in TRANSITIONS
            taken = await _do(napp, admin, row_id, action)
            after = (await Notification.get(id=row_id)).status
            assert taken is allowed, (status, action)
            assert after == (TRANSITIONS[(status, action)] if allowed else status), (status, action)
            walked.append((status, action, taken))
    assert len(walked) == len(STATUSES) * len(ACTIONS)
    assert {(s, a) for s, a, taken in walked if taken} == set(TRANSITIONS)


async def test_a_sender_only_ends_its_own_attempt(napp):
    await napp.state.dispatcher.stop()
    user_id, _ = await napp.citizen("owner")
    row_id = await _row_in("sending", user_id)
    assert not await repo.finish(row_id, "someone-else", "send")
    assert (await Notification.get(id=row_id)).status == "sending"
    assert await repo.finish(row_id, ATTEMPT, "send")
    assert (await Notification.get(id=row_id)).status == "sent"


async def test_the_admin_lists_rows_by_the_statuses_of_the_table(napp):
    await napp.state.dispatcher.stop()
    user_id, _ = await napp.citizen("lister")
    admin = await _admin(napp)
    for status in STATUSES:
        row_id = await _row_in(status, user_id)
        resp = await napp.client.get(f"/api/v1/admin/notifications?status={status}", headers=admin)
        assert resp.status_code == 200, resp.text
        assert [item["id"] for item in resp.json()["items"]] == [row_id]
        assert resp.json()["items"][0]["status"] == status
    resp = await napp.client.get("/api/v1/admin/notifications?status=failed", headers=admin)
    assert_error(resp, 422, "VALIDATION_ERROR")
