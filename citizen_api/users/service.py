"""Citizen profiles: personal data encrypted at rest, masked in every answer."""

from __future__ import annotations

from citizen_api.errors import ApiError
from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_id_number, mask_name, mask_phone
from citizen_api.security.passwords import hash_password
from citizen_api.security.principal import STAFF_ROLES, Principal, scope_to_department
from citizen_api.users import repository as repo
from citizen_api.users.models import User
from citizen_api.users.schemas import Profile, ProfileUpdate, StaffSummary


def decrypt_profile(user: User, settings) -> dict[str, str | None]:
    """The owner's personal data in clear, for server-side use only (never logged)."""
    cipher = cipher_for(settings)
    return {
        "name": cipher.decrypt(user.name_enc),
        "id_number": cipher.decrypt(user.id_number_enc),
        "phone": cipher.decrypt(user.phone_enc),
    }


def masked_profile(user: User, settings) -> Profile:
    clear = decrypt_profile(user, settings)
    return Profile(
        id=user.id,
        role=user.role,
        name=mask_name(clear["name"]),
        id_number=mask_id_number(clear["id_number"]),
        phone=mask_phone(clear["phone"]),
        profile_complete=all(clear.values()),
        username=user.username,
        department=user.department_code,
        follows_official_account=bool(getattr(user, "oa_openid", None)),
    )


async def get_profile(principal: Principal, settings) -> Profile:
    user = await repo.get_user(principal.user_id)
    if user is None:
        raise ApiError(401, "UNAUTHENTICATED", "账号不存在或已停用，请重新登录")
    return masked_profile(user, settings)


async def update_profile(principal: Principal, update: ProfileUpdate, settings) -> Profile:
    user = await repo.get_user(principal.user_id)
    if user is None:
        raise ApiError(401, "UNAUTHENTICATED", "账号不存在或已停用，请重新登录")
    cipher = cipher_for(settings)
    await repo.save_profile(
        user,
        name_enc=cipher.encrypt(update.name),
        id_number_enc=cipher.encrypt(update.id_number),
        id_index=cipher.blind_index(update.id_number),
        phone_enc=cipher.encrypt(update.phone),
        phone_index=cipher.blind_index(update.phone),
    )
    return masked_profile(user, settings)


class StaffError(ValueError):
    pass


async def add_staff(username: str, password: str, role: str, department: str | None) -> User:
    if role not in STAFF_ROLES:
        raise StaffError(f"role must be one of {sorted(STAFF_ROLES)}")
    if role in ("window", "approver") and not department:
        raise StaffError("window and approver staff need --department")
    if len(password) < 8:
        raise StaffError("password must have at least 8 characters")
    if await repo.staff_by_username(username):
        raise StaffError(f"user {username} exists")
    return await repo.create_staff(username, hash_password(password), role, department)


async def list_staff(principal: Principal, offset: int, limit: int) -> tuple[int, list[StaffSummary]]:
    """Colleagues: a window clerk or approver sees their own department, the centre sees all."""
    total, rows = await repo.list_staff(lambda q: scope_to_department(q, principal), offset, limit)
    return total, [
        StaffSummary(
            id=u.id,
            username=u.username or "",
            role=u.role,
            department=u.department_code,
            display_name=u.display_name,
            is_active=u.is_active,
        )
        for u in rows
    ]
