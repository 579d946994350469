"""Accounts: citizen profiles (personal data encrypted at rest, masked in every answer), staff
accounts, and the official account's followers — the public API other domains, auth and the
adapters (bots, notifications) use. Answers are read-only copies (``users.schemas``), never rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_id_number, mask_name, mask_phone
from citizen_api.security.passwords import hash_password
from citizen_api.security.principal import (
    ADMIN,
    STAFF_ROLES,
    SUPERVISOR,
    VILLAGE_AGENT,
    Principal,
    scope_to_department,
)
from citizen_api.users import followers, ports
from citizen_api.users import repository as repo
from citizen_api.users.models import User
from citizen_api.users.schemas import (
    Account,
    Applicant,
    Profile,
    ProfileUpdate,
    StaffSummary,
)


def _gone() -> ApiError:
    return ApiError(401, "UNAUTHENTICATED", "账号不存在或已停用，请重新登录")


# -- profiles ------------------------------------------------------------------------------------
def decrypt_profile(user: User, settings) -> dict[str, str | None]:
    """The owner's personal data in clear, for server-side use only (never logged)."""
    cipher = cipher_for(settings)
    return {
        "name": cipher.decrypt(user.name_enc),
        "id_number": cipher.decrypt(user.id_number_enc),
        "phone": cipher.decrypt(user.phone_enc),
    }


async def _masked_profile(user: User, settings) -> Profile:
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
        follows_official_account=await repo.subscribed_follower(user.id, user.unionid) is not None,
    )


async def get_profile(principal: Principal, settings) -> Profile:
    user = await repo.get_user(principal.user_id)
    if user is None:
        raise _gone()
    return await _masked_profile(user, settings)


async def update_profile(principal: Principal, update: ProfileUpdate, settings) -> Profile:
    user = await repo.get_user(principal.user_id)
    if user is None:
        raise _gone()
    cipher = cipher_for(settings)
    await repo.save_profile(
        user,
        name_enc=cipher.encrypt(update.name),
        id_number_enc=cipher.encrypt(update.id_number),
        id_number_index=cipher.blind_index(update.id_number),
        phone_enc=cipher.encrypt(update.phone),
        phone_index=cipher.blind_index(update.phone),
        name_index=_name_key(cipher, update.name),
        phone_tail_index=_tail_key(cipher, update.phone[-4:]),
    )
    return await _masked_profile(user, settings)


PERSON_KEY_CHARS = 32  # of the ID number's blind index: 128 bits name one person


async def person_key(user_id: int) -> str | None:
    """The real-name identity of a citizen account (a prefix of the ID number's keyed hash: two
    WeChat accounts of one person share it), or None without a complete profile."""
    user = await repo.get_user(user_id)
    if user is None or not (user.name_enc and user.id_number_enc and user.phone_enc and user.id_number_index):
        return None
    return user.id_number_index[:PERSON_KEY_CHARS]


def person_key_of_id_number(id_number: str, settings) -> str:
    """The person key (:func:`person_key`) an account with this ID number has: how a person named by
    someone else (an agent named in an authorisation) is recognised once they log in."""
    return cipher_for(settings).blind_index(id_number)[:PERSON_KEY_CHARS]


async def citizen_for_identity(name: str, id_number: str, phone: str, settings) -> int:
    """The citizen account of a real person identified at the hall or on the phone (代约): the
    first account with that ID number, else a new account without WeChat (profile stored encrypted)."""
    cipher = cipher_for(settings)
    found = await repo.citizen_ids_by_index("id_number_index", cipher.blind_index(id_number), 1)
    if found:
        return found[0]
    user = await repo.create_citizen(None, None)  # no WeChat account: messages go nowhere
    await update_profile(
        Principal(user.id, "citizen"), ProfileUpdate(name=name, id_number=id_number, phone=phone), settings
    )
    return user.id


# The hall finds a citizen by the full name or the phone's last four digits: keyed hashes of each
# (``blind_index``, prefixed so that the two kinds never collide), never the clear values.
def _name_key(cipher, name: str) -> str:
    return cipher.blind_index("name:" + "".join(name.split()).casefold())


def _tail_key(cipher, tail: str) -> str:
    return cipher.blind_index("phone-tail:" + tail)


def birth_date_of_id_number(id_number: str | None) -> date | None:
    """The birth date in a resident ID number (18 digits: YYYYMMDD at 7–14; old 15: YYMMDD, 19YY)."""
    digits = (id_number or "").strip()
    try:
        if len(digits) == 18:
            return date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
        if len(digits) == 15:
            return date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))
    except ValueError:
        return None
    return None


async def birth_date(user_id: int, settings) -> date | None:
    """The citizen's birth date from the real-name ID number (None without one)."""
    user = await repo.get_user(user_id)
    if user is None or not user.id_number_enc:
        return None
    return birth_date_of_id_number(cipher_for(settings).decrypt(user.id_number_enc))


async def citizen_ids_matching(q: str, settings, limit: int = 1000) -> list[int]:
    """Citizens whose phone ends in ``q`` (four digits) or whose full name is ``q``."""
    cipher = cipher_for(settings)
    q = q.strip()
    if len(q) == 4 and q.isdigit():
        return await repo.citizen_ids_by_index("phone_tail_index", _tail_key(cipher, q), limit)
    return await repo.citizen_ids_by_index("name_index", _name_key(cipher, q), limit)


async def masked_contacts(ids: Iterable[int], settings) -> dict[int, tuple[str | None, str | None]]:
    """Each citizen's name and phone, masked (the hall's lists): id → (name, phone)."""
    cipher = cipher_for(settings)
    return {
        user.id: (mask_name(cipher.decrypt(user.name_enc)), mask_phone(cipher.decrypt(user.phone_enc)))
        for user in await repo.citizens_by_ids(ids)
    }


async def real_name_applicant(user_id: int, settings, message: str) -> Applicant:
    """:func:`applicant`, refusing an account that is gone (401) or has no complete real-name profile
    (409 PROFILE_INCOMPLETE with ``message`` and ``details.missing``): filing, acting for another."""
    found = await applicant(user_id, settings)
    if found is None:
        raise _gone()
    if not all(found.profile.values()):
        missing = [name for name, value in found.profile.items() if not value]
        raise ApiError(409, "PROFILE_INCOMPLETE", message, {"missing": missing})
    return found


async def applicant(user_id: int, settings) -> Applicant | None:
    """An active citizen's personal data for a case (None when the account is gone or disabled)."""
    user = await repo.get_user(user_id)
    if user is None:
        return None
    return Applicant(
        id=user.id,
        name_enc=user.name_enc,
        id_number_enc=user.id_number_enc,
        phone_enc=user.phone_enc,
        profile=decrypt_profile(user, settings),
    )


# -- accounts (auth logs them in) -------------------------------------------------------------------
def _account(user: User | None) -> Account | None:
    return Account.model_validate(user) if user is not None else None


async def account(user_id: int) -> Account | None:
    """Any account, active or not."""
    return _account(await repo.any_user(user_id))


async def active_account(user_id: int) -> Account | None:
    return _account(await repo.get_user(user_id))


async def citizen_signed_in(openid: str, unionid: str | None) -> Account:
    """The citizen of a mini-program login: found by openid (its unionid kept up to date) or created."""
    user = await repo.citizen_by_openid(openid)
    if user is None:
        user = await repo.create_citizen(openid, unionid)
    elif unionid and user.unionid != unionid:
        await repo.set_unionid(user.id, unionid, clock.now())
        user.unionid = unionid
    return Account.model_validate(user)


async def account_by_username(username: str) -> Account | None:
    return _account(await repo.staff_by_username(username))


async def staff_account(user_id: int) -> Account | None:
    """A staff account (with a username), active or not."""
    user = await repo.staff_by_id(user_id)
    return _account(user) if user is not None and user.username else None


async def set_password_hash(
    user_id: int, password_hash: str, now: datetime, *, must_change_password: bool = False
) -> None:
    """A new password; ``must_change_password`` when an admin set it (the owner must change it)."""
    await repo.set_password_hash(user_id, password_hash, now, must_change_password)


async def create_staff_account(
    username: str,
    password_hash: str,
    role: str,
    department: str | None,
    display_name: str | None,
    office_code: str | None = None,
) -> Account | None:
    """An admin's new account (its owner must change the password); None when the username is taken.
    ``office_code``: the village point of a 代办员."""
    if await repo.staff_by_username(username) is not None:
        return None
    user = await repo.create_staff_once(username, password_hash, role, department, display_name, office_code)
    return _account(user)


async def disabled_account_ids() -> list[int]:
    """Every disabled account (staff disabled by an admin, closed citizen accounts)."""
    return await repo.disabled_ids()


async def set_staff_active(user_id: int, active: bool) -> Account | None:
    """Enable or disable a staff account; None when there is no such staff account."""
    if not await repo.set_staff_fields(user_id, clock.now(), is_active=active):
        return None
    return await staff_account(user_id)


class StaffError(ValueError):
    pass


async def add_staff(
    username: str, password: str, role: str, department: str | None, office_code: str | None = None
) -> Account:
    """An account made from the command line or the demo data (``office_code``: a 代办员's village
    point, which the caller has checked)."""
    if role == VILLAGE_AGENT and not office_code:
        raise StaffError("a village agent needs the village point they work for (--office CODE)")
    if role not in STAFF_ROLES and role != VILLAGE_AGENT:
        raise StaffError(f"role must be one of {sorted(STAFF_ROLES)}")
    if role in ("window", "approver") and not department:
        raise StaffError("window and approver staff need --department")
    if len(password) < 8:
        raise StaffError("password must have at least 8 characters")
    if await repo.staff_by_username(username):
        raise StaffError(f"user {username} exists")
    return Account.model_validate(
        await repo.create_staff(username, hash_password(password), role, department, office_code=office_code)
    )


async def list_staff(principal: Principal, offset: int, limit: int) -> tuple[int, list[StaffSummary]]:
    """Colleagues: a window clerk or approver sees their own department, the centre sees all."""
    total, rows = await repo.list_staff(lambda q: scope_to_department(q, principal), offset, limit)
    items = [StaffSummary.model_validate(u) for u in rows]
    if any(item.office_code for item in items):  # a 代办员's point by name (三级便民服务)
        names = await ports.office_names()
        items = [i.model_copy(update={"office_name": names.get(i.office_code or "")}) for i in items]
    return total, items


async def clerks(department_code: str | None, limit: int = 500) -> list[StaffSummary]:
    """Window clerks and approvers — the posts with an AB角 backup — of a department, or of all."""
    return [StaffSummary.model_validate(u) for u in await repo.clerks(department_code, limit)]


def staff_summary(staff: Account) -> StaffSummary:
    return StaffSummary.model_validate(staff)


# -- who is told (other domains address staff messages by these ids) ------------------------------
async def department_staff_ids(department_code: str) -> list[int]:
    """The department's active window clerks and approvers."""
    return await repo.department_staff_ids(department_code)


async def department_staff(department_code: str) -> list[Account]:
    """The department's active window clerks and approvers (电子监察's step holders), by role."""
    return [Account.model_validate(u) for u in await repo.department_staff(department_code)]


async def staff_names(ids: Iterable[int]) -> dict[int, str]:
    """A staff account's shown name (display name, else username) by id; unknown ids are left out."""
    return {u.id: u.display_name or u.username or str(u.id) for u in await repo.staff_by_ids(list(set(ids)))}


async def supervisor_ids() -> list[int]:
    return await repo.active_ids_with_role(SUPERVISOR)


async def admin_ids() -> list[int]:
    return await repo.active_ids_with_role(ADMIN)


async def point_of_agent(user_id: int) -> str | None:
    """The village point (office code) of an active 代办员 account; None for anyone else."""
    user = await repo.get_user(user_id)
    if user is None or user.role != VILLAGE_AGENT:
        return None
    return user.office_code


async def staff_id_by_username(username: str) -> int | None:
    return await repo.staff_id_by_username(username)


async def staff_ids_among(ids: Iterable[int]) -> set[int]:
    """The ids among ``ids`` that belong to staff accounts (a citizen's is never among them)."""
    return await repo.staff_ids_among(ids)


async def staff_names_and_departments(ids: Iterable[int]) -> dict[int, tuple[str, str | None]]:
    """id → (name shown, department) of the staff accounts among ``ids`` (效能考评's rows)."""
    return await repo.staff_names(ids)


async def lock_account(user_id: int) -> None:
    """Serialise one account's writes (e.g. a quota check) until the transaction ends."""
    await repo.lock_user(user_id)


# -- the official account's followers (bots records them, notifications writes to them) ------------
follower_seen = followers.follower_seen
follower_touched = followers.follower_touched
follower_left = followers.follower_left
set_follower_unionid = followers.set_follower_unionid
followers_without_unionid = followers.followers_without_unionid
follower_account = followers.follower_account
subscribed_follower = followers.subscribed_follower
link_follower = followers.link_follower
