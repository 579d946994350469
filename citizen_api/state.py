"""The typed lifespan state shared by every request: clients opened once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from citizen_api.security.disabled import DisabledAccounts

if TYPE_CHECKING:
    import aiohttp
    from redis.asyncio import Redis

    from citizen_api.settings import Settings
    from citizen_api.wechat.gateway import WeChatGateway


@dataclass
class AppState:
    settings: Settings
    http: aiohttp.ClientSession
    wechat: WeChatGateway
    redis: Redis | None = None
    # Filled by the domains' start-up hooks (the registry's lifespans, citizen_api.domains).
    search_index: Any = None
    storage: Any = None
    dispatcher: Any = None
    kuaidi100: Any = None
    extras: dict[str, Any] = field(default_factory=dict)
    # refused at once although their tokens are still signed (kept fresh by the auth domain)
    disabled_accounts: DisabledAccounts = field(default_factory=DisabledAccounts)
