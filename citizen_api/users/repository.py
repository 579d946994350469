"""Every query on accounts and on the official account's followers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from citizen_api import db
from citizen_api.security.principal import APPROVER, STAFF_ACCOUNT_ROLES, WINDOW
from citizen_api.users.models import Follower, User


# -- accounts -----------------------------------------------------------------------------------
async def get_user(user_id: int) -> User | None:
    return await User.get_or_none(id=user_id, is_active=True)


async def any_user(user_id: int) -> User | None:
    """Active or not (a login refuses a disabled account with its own answer)."""
    return await User.get_or_none(id=user_id)


async def save_profile(user: User, **encrypted: str) -> None:
    """The personal data as stored: ``*_enc`` ciphertexts and ``*_index`` keyed hashes."""
    for name, value in encrypted.items():
        setattr(user, name, value)
    await user.save(update_fields=[*encrypted, "updated_at"])


async def citizen_ids_by_index(field: str, value: str, limit: int) -> list[int]:
    """Citizens whose keyed hash ``field`` (name_index, phone_tail_index) is ``value``."""
    query = User.filter(role="citizen", **{field: value})
    return list(await query.order_by("id").limit(limit).values_list("id", flat=True))


async def citizens_by_ids(ids: Iterable[int]) -> list[User]:
    wanted = list(set(ids))
    if not wanted:
        return []
    return await User.filter(id__in=wanted).only("id", "name_enc", "phone_enc")


async def citizen_by_openid(openid: str) -> User | None:
    return await User.get_or_none(openid=openid)


async def create_citizen(openid: str, unionid: str | None) -> User:
    return await User.create(role="citizen", openid=openid, unionid=unionid)


async def set_unionid(user_id: int, unionid: str, now: datetime) -> None:
    await User.filter(id=user_id).update(unionid=unionid, updated_at=now)


async def create_staff(
    username: str,
    password_hash: str,
    role: str,
    department: str | None,
    display_name: str | None = None,
    must_change_password: bool = False,
    office_code: str | None = None,
) -> User:
    """INSERT; the unique username raises IntegrityError when it was taken meanwhile."""
    return await User.create(
        username=username,
        password_hash=password_hash,
        role=role,
        department_code=department,
        display_name=display_name or username,
        must_change_password=must_change_password,
        office_code=office_code,
    )


async def create_staff_once(
    username: str,
    password_hash: str,
    role: str,
    department: str | None,
    display_name: str | None,
    office_code: str | None = None,
) -> User | None:
    """An admin's new account (must change its password), or None when the username was taken."""
    try:
        async with db.atomic():  # a savepoint: a lost race does not abort an outer transaction
            return await create_staff(
                username, password_hash, role, department, display_name, True, office_code
            )
    except IntegrityError:
        return None


async def set_staff_fields(user_id: int, now: datetime, **changes: Any) -> int:
    return await User.filter(id=user_id, role__in=list(STAFF_ACCOUNT_ROLES)).update(updated_at=now, **changes)


async def staff_by_username(username: str) -> User | None:
    return await User.get_or_none(username=username)


async def list_staff(queryset_filter, offset: int, limit: int) -> tuple[int, list[User]]:
    """Staff accounts, already scoped by the caller (``queryset_filter`` scopes a queryset)."""
    query = queryset_filter(User.filter(role__in=list(STAFF_ACCOUNT_ROLES)))
    total = await query.count()
    rows = await query.order_by("id").offset(offset).limit(limit)
    return total, rows


async def staff_by_id(user_id: int) -> User | None:
    return await User.get_or_none(id=user_id, role__in=list(STAFF_ACCOUNT_ROLES))


async def set_password_hash(
    user_id: int, password_hash: str, now: datetime, must_change_password: bool = False
) -> int:
    return await User.filter(id=user_id).update(
        password_hash=password_hash, updated_at=now, must_change_password=must_change_password
    )


async def department_staff_ids(department_code: str) -> list[int]:
    return list(
        await User.filter(
            role__in=[WINDOW, APPROVER], department_code=department_code, is_active=True
        ).values_list("id", flat=True)
    )


async def clerks(department_code: str | None, limit: int) -> list[User]:
    """Window clerks and approvers (of one department, or of all), by department then id."""
    query = User.filter(role__in=[WINDOW, APPROVER])
    if department_code:
        query = query.filter(department_code=department_code)
    return await query.order_by("department_code", "id").limit(limit)


async def department_staff(department_code: str) -> list[User]:
    return list(
        await User.filter(
            role__in=[WINDOW, APPROVER], department_code=department_code, is_active=True
        ).order_by("role", "id")
    )


async def staff_by_ids(ids: list[int]) -> list[User]:
    return list(await User.filter(id__in=ids, role__in=list(STAFF_ACCOUNT_ROLES))) if ids else []


async def active_ids_with_role(role: str) -> list[int]:
    return list(await User.filter(role=role, is_active=True).values_list("id", flat=True))


async def disabled_ids() -> list[int]:
    return list(await User.filter(is_active=False).values_list("id", flat=True))


async def staff_id_by_username(username: str) -> int | None:
    return (
        await User.filter(username=username, role__in=list(STAFF_ACCOUNT_ROLES))
        .first()
        .values_list("id", flat=True)
    )


async def staff_ids_among(ids: Iterable[int]) -> set[int]:
    wanted = list(set(ids))
    if not wanted:
        return set()
    return set(await User.filter(id__in=wanted, role__not="citizen").values_list("id", flat=True))


async def staff_names(ids: Iterable[int]) -> dict[int, tuple[str, str | None]]:
    """id → (display name, else username; department) of the staff accounts among ``ids``."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await User.filter(id__in=wanted, role__not="citizen").values_list(
        "id", "display_name", "username", "department_code"
    )
    return {i: (name or username or str(i), department) for i, name, username, department in rows}


async def lock_user(user_id: int) -> None:
    """Hold the account's row until the transaction ends (PostgreSQL; SQLite has one writer)."""
    await User.filter(id=user_id).select_for_update().first()


# -- followers of the official account ----------------------------------------------------------
async def follower_by_openid(openid: str) -> Follower | None:
    return await Follower.get_or_none(oa_openid=openid)


async def create_follower_once(openid: str, now: datetime) -> Follower | None:
    """The new follower, or None when a concurrent request created it first."""
    try:
        async with db.atomic():  # a savepoint: a lost race does not abort an outer transaction
            return await Follower.create(oa_openid=openid, subscribed_at=now, last_message_at=now)
    except IntegrityError:
        return None


async def update_follower(openid: str, **changes: Any) -> int:
    return await Follower.filter(oa_openid=openid).update(**changes)


async def set_follower_unionid(follower_id: int, unionid: str) -> None:
    await Follower.filter(id=follower_id).update(unionid=unionid)


async def followers_without_unionid(limit: int) -> list[Follower]:
    return await Follower.filter(subscribed=True, unionid=None).order_by("id").limit(limit)


async def subscribed_follower(user_id: int, unionid: str | None) -> Follower | None:
    """The newest subscribed follower linked to the user: explicitly, or by the same unionid."""
    condition = Q(user_id=user_id) if user_id else None
    if unionid:
        condition = Q(unionid=unionid) if condition is None else condition | Q(unionid=unionid)
    if condition is None:
        return None
    return await Follower.filter(condition, subscribed=True).order_by("-id").first()


async def citizen_by_unionid(unionid: str) -> User | None:
    citizens = User.filter(unionid=unionid, role="citizen", is_active=True)
    return await citizens.order_by("id").first()


async def link_follower(follower_id: int, user_id: int) -> None:
    await Follower.filter(id=follower_id).update(user_id=user_id)


async def user_exists(user_id: int) -> bool:
    return await User.exists(id=user_id, is_active=True)
