"""The account's text commands, in Chinese, answered through the domains' services.

- ``进度 <办件编号> <手机尾号4位>``: a case's status (the same public lookup as ``GET /progress``)
- ``指南 <关键词>``: the best matching service guides, with links into the mini-program
- ``预约``: the linked citizen's upcoming bookings
- ``帮助``: the list of commands; anything unknown gets it too
"""

from __future__ import annotations

import re
from typing import Any

import structlog

from citizen_api import clock
from citizen_api.appointments import service as appointments_service
from citizen_api.appointments.schemas import MyAppointmentsQuery
from citizen_api.cases import service as cases
from citizen_api.errors import ApiError
from citizen_api.ratelimit import limiter
from citizen_api.security.principal import Principal
from citizen_api.users import service as users

log = structlog.get_logger("onetrip.bot")

HELP = (
    "您好，这里是政务服务中心。可以发送：\n"
    "1. 进度 办件编号 手机尾号4位，如：进度 A20260301001 5678\n"
    "2. 指南 关键词，如：指南 营业执照\n"
    "3. 预约：查看我的预约\n"
    "4. 帮助：查看本说明\n"
    "办事、预约请进入小程序“一次办”。"
)
WELCOME = "感谢关注政务服务中心！\n" + HELP
UNAVAILABLE = "该功能暂不可用，请稍后再试或进入小程序办理。"
PROGRESS_USAGE = "请按格式发送：进度 办件编号 手机尾号4位\n例如：进度 A20260301001 5678"
TOO_MANY = "查询过于频繁，请稍后再试。"
GUIDE_USAGE = "请发送：指南 关键词，例如：指南 营业执照"
ITEM_PAGE = "pages/item/detail?code={code}"
PROGRESS_PAGE = "pages/progress/index?number={number}"
MAX_ANSWER = 600

_SPACES = re.compile(r"[\s\u3000]+")
COMMANDS = ("进度", "指南", "预约", "帮助")
ALIASES = {
    "查进度": "进度",
    "查询": "进度",
    "办事指南": "指南",
    "我的预约": "预约",
    "help": "帮助",
    "?": "帮助",
    "？": "帮助",
}
# 进度 answers only for a matching phone tail: cap the guesses one follower may make
PROGRESS_TRIES = 10
PROGRESS_WINDOW_SECONDS = 600


def split_command(text: str) -> tuple[str, list[str]]:
    text = _SPACES.sub(" ", text or "").strip()
    for alias, command in ALIASES.items():
        if text.lower().startswith(alias):
            return command, text[len(alias) :].split()
    for command in COMMANDS:
        if text.startswith(command):
            return command, text[len(command) :].split()
    return "", text.split()


async def answer_text(state, text: str, openid: str) -> str:
    command, args = split_command(text)
    if command == "进度":
        return await progress(state, args, openid)
    if command == "指南":
        return guide(state, " ".join(args))
    if command == "预约":
        return await appointments(state, openid)
    return HELP


async def progress(state, args: list[str], openid: str) -> str:
    if len(args) != 2:
        return PROGRESS_USAGE
    number, tail = args[0].upper(), args[1]
    if not re.fullmatch(r"[A-Z0-9]{4,32}", number) or not re.fullmatch(r"\d{4}", tail):
        return PROGRESS_USAGE
    if not await _allow_progress(state, openid, number):
        return TOO_MANY
    found = await cases.public_progress(number, tail, state.settings)
    if not found:
        # same answer for an unknown number and a wrong tail: the bot is no oracle for numbers
        return "未查到该办件，请核对办件编号和手机尾号。"
    lines = [f"办件 {found.get('number', number)}", f"事项：{found.get('item_name', '')}"]
    lines.append(f"状态：{found.get('status_text') or found.get('status', '')}")
    if found.get("deadline"):
        lines.append(f"承诺办结：{_date(found['deadline'])}")
    timeline = found.get("timeline") or []
    if timeline:
        last = timeline[-1]
        note = f"（{last.get('note')}）" if last.get("note") else ""
        status = last.get("status_text") or last.get("status", "")
        lines.append(f"最新：{_when(last.get('at'))} {status}{note}")
    lines.append("详情请在小程序查看：" + PROGRESS_PAGE.format(number=found.get("number", number)))
    return _cap("\n".join(lines))


def guide(state, words: str) -> str:
    words = words.strip()[:40]
    if not words:
        return GUIDE_USAGE
    if state.search_index is None:  # the search domain's service (its start-up did not run)
        return UNAVAILABLE
    try:
        hits: list[dict[str, Any]] = state.search_index.top(words, limit=3)
    except Exception:
        log.exception("guide search failed")
        return UNAVAILABLE
    if not hits:
        return f"没有找到与“{words}”相关的事项，换个说法试试，或进入小程序查看全部事项。"
    lines = [f"与“{words}”相关的办事指南："]
    for n, hit in enumerate(hits, 1):
        trips = hit.get("trips")
        trips_text = f"，跑动 {trips} 次" if trips is not None else ""
        lines.append(f"{n}. {hit.get('name', '')}{trips_text}")
        lines.append("   " + ITEM_PAGE.format(code=hit.get("code", "")))
    return _cap("\n".join(lines))


async def appointments(state, openid: str) -> str:
    user = await users.follower_account(openid)
    if user is None:
        return "请先在小程序“一次办”中登录（同一微信号），即可在这里查看预约。"
    query = MyAppointmentsQuery(status="booked", page=1, size=20)
    page = await appointments_service.my_appointments(Principal(user.id, user.role), query, state.settings)
    today = clock.today()
    upcoming = sorted((a for a in page.items if a.date >= today), key=lambda a: (a.date, a.slot.start))
    if not upcoming:
        return "您暂无待办理的预约。可在小程序中预约办理。"
    lines = ["您的预约："]
    for a in upcoming[:5]:
        start = clock.to_local(a.slot.start).strftime("%H:%M")
        lines.append(f"{a.date.isoformat()} {start} {a.item_name}（{a.place}）")
    return _cap("\n".join(lines))


async def _allow_progress(state, openid: str, number: str) -> bool:
    """Per follower, and per case number shared with ``GET /progress``: the phone tail cannot be
    guessed faster through the bot (or through many followers) than through the API."""
    settings = state.settings
    try:
        await limiter.hit(state, f"bot:progress:{openid}", PROGRESS_TRIES, PROGRESS_WINDOW_SECONDS)
        await limiter.hit(
            state,
            f"progress:number:{number[:32]}",
            settings.progress_number_limit,
            settings.progress_number_window_seconds,
        )
    except ApiError:
        return False
    return True


def _date(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _when(value: Any) -> str:
    if hasattr(value, "astimezone"):
        return clock.to_local(value).strftime("%m-%d %H:%M")
    return str(value or "")


def _cap(text: str) -> str:
    return text if len(text) <= MAX_ANSWER else text[: MAX_ANSWER - 1] + "…"
