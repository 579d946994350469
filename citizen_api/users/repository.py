from __future__ import annotations

from citizen_api.users.models import User


async def get_user(user_id: int) -> User | None:
    return await User.get_or_none(id=user_id, is_active=True)


async def save_profile(
    user: User, name_enc: str, id_number_enc: str, id_index: str, phone_enc: str, phone_index: str
) -> None:
    user.name_enc = name_enc
    user.id_number_enc = id_number_enc
    user.id_number_index = id_index
    user.phone_enc = phone_enc
    user.phone_index = phone_index
    await user.save(
        update_fields=[
            "name_enc",
            "id_number_enc",
            "id_number_index",
            "phone_enc",
            "phone_index",
            "updated_at",
        ]
    )


async def create_staff(
    username: str, password_hash: str, role: str, department: str | None, display_name: str | None = None
) -> User:
    return await User.create(
        username=username,
        password_hash=password_hash,
        role=role,
        department_code=department,
        display_name=display_name or username,
    )


async def staff_by_username(username: str) -> User | None:
    return await User.get_or_none(username=username)


async def list_staff(queryset_filter, offset: int, limit: int) -> tuple[int, list[User]]:
    """Staff accounts, already scoped by the caller (``queryset_filter`` scopes a queryset)."""
    from citizen_api.security.principal import STAFF_ROLES

    query = queryset_filter(User.filter(role__in=list(STAFF_ROLES)))
    total = await query.count()
    rows = await query.order_by("id").offset(offset).limit(limit)
    return total, rows


async def staff_by_id(user_id: int) -> User | None:
    from citizen_api.security.principal import STAFF_ROLES

    return await User.get_or_none(id=user_id, role__in=list(STAFF_ROLES))


async def set_password_hash(user_id: int, password_hash: str) -> None:
    await User.filter(id=user_id).update(password_hash=password_hash)


async def revoke_sessions(user_id: int, now) -> int:
    from citizen_api.auth.models import RefreshToken

    return await RefreshToken.filter(user_id=user_id, revoked_at__isnull=True).update(revoked_at=now)
