"""Settings from the environment (``ONETRIP_`` prefix) with working embedded defaults.

Secrets that are absent are generated once into ``var/`` so that a fresh clone runs with
``make run`` and nothing secret is ever committed; production refuses such dev secrets.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_MP_APPID = "wx-dev-miniprogram"
DEV_OA_APPID = "wx5823bf96d3bd56c7"  # WeChat's published sample appid
DEV_OA_TOKEN = "QDG6eK"  # WeChat's published sample token
DEV_OA_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"  # WeChat's published sample key


class InsecureSettingsError(RuntimeError):
    """Raised when production would start with development secrets."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONETRIP_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    var_dir: Path = Path("var")
    database_url: str = "sqlite://var/onetrip.db"
    redis_url: str = ""
    jwt_secret: str = ""
    data_key: str = ""
    storage_dir: Path = Path("var/uploads")

    wechat_api_base: str = "https://api.weixin.qq.com"
    mp_appid: str = DEV_MP_APPID
    mp_secret: str = "dev-mp-secret"
    oa_appid: str = DEV_OA_APPID
    oa_secret: str = "dev-oa-secret"
    oa_token: str = DEV_OA_TOKEN
    oa_aes_key: str = DEV_OA_AES_KEY
    oa_aes_key_previous: str = ""  # kept as a fallback while WeChat rotates the key

    kuaidi100_api_base: str = "https://poll.kuaidi100.com"
    kuaidi100_key: str = "dev-kuaidi100-key"
    kuaidi100_salt: str = "dev-kuaidi100-salt"
    public_base_url: str = "http://127.0.0.1:8000"

    access_token_ttl_seconds: int = 15 * 60
    # how often each API process reloads the disabled accounts, whose tokens it then refuses
    disabled_poll_seconds: float = Field(2.0, gt=0, le=300)
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    max_json_body_bytes: int = 1024 * 1024
    wechat_timeout_seconds: float = 5.0
    log_json: bool = True
    # -- settings: auth and client addresses (issue 12) --
    # failed staff logins per username (known or not) that lock it, within the failure window
    login_lock_attempts: int = Field(5, ge=1, le=1000)  # ONETRIP_LOGIN_LOCK_ATTEMPTS
    login_lock_minutes: float = Field(15.0, gt=0, le=7 * 24 * 60)  # ONETRIP_LOGIN_LOCK_MINUTES
    login_failure_window_minutes: float = Field(15.0, gt=0, le=7 * 24 * 60)  # counted from the first
    # failed staff logins per client address (IPv6: per /64) per window, then 429 RATE_LIMITED
    login_client_limit: int = Field(20, ge=1, le=100_000)  # ONETRIP_LOGIN_CLIENT_LIMIT
    login_client_window_seconds: int = Field(600, ge=1, le=86_400)  # ONETRIP_LOGIN_CLIENT_WINDOW_SECONDS
    login_hash_concurrency: int = Field(2, ge=1, le=64)  # argon2 checks at once per process
    # addresses/CIDRs of the reverse proxies whose X-Forwarded-For/-Proto are believed, comma-separated;
    # empty = none: the TCP peer is the client (ONETRIP_TRUSTED_PROXIES)
    trusted_proxies: str = ""
    # -- settings: catalog (issue 3) --
    catalog_refresh_seconds: float = 1.0  # how often each API process checks the catalog revision
    catalog_popularity_seconds: float = 60.0  # how often views/applications are reloaded for ranking
    search_cache_entries: int = 4096  # answers cached per index generation (LRU)
    # -- settings: workdays and uploads (issue 4) --
    upload_max_bytes: int = Field(20 * 1024 * 1024, ge=1)  # per file: 413 UPLOAD_TOO_LARGE beyond
    upload_case_max_bytes: int = Field(100 * 1024 * 1024, ge=1)  # all files of one case together
    upload_orphan_hours: float = Field(24.0, gt=0)  # unattached uploads older than this are deleted
    # -- settings: uploads and catalog views (issue 12) --
    # per citizen: bytes of uploads not yet used by a case (younger than upload_orphan_hours) one may
    # hold; default = a whole case (upload_case_max_bytes) plus one replaced max-size file.
    # 413 UPLOAD_QUOTA_EXCEEDED beyond (ONETRIP_UPLOAD_UNATTACHED_QUOTA_BYTES)
    upload_unattached_quota_bytes: int = Field(120 * 1024 * 1024, ge=1)
    upload_rate_limit: int = Field(30, ge=1)  # uploads per citizen per window, then 429 RATE_LIMITED
    upload_rate_window_seconds: int = Field(60, ge=1)  # ONETRIP_UPLOAD_RATE_WINDOW_SECONDS
    # without Redis: (item, viewer) pairs each process remembers for today's view counting; past it,
    # new viewers are not counted until the next day (ONETRIP_CATALOG_VIEW_MEMORY_KEYS)
    catalog_view_memory_keys: int = Field(100_000, ge=1)
    # -- settings: cases and supervision (issue 4) --
    tolerated_days: int = 5  # 容缺受理: working days within which the missing materials must follow
    # 补正: working days after the request by which the citizen must supplement
    supplement_due_working_days: int = Field(5, ge=1, le=60)  # ONETRIP_SUPPLEMENT_DUE_WORKING_DAYS
    # remind the citizen when this many working days are left before a 补正/容缺 due date
    # (ONETRIP_SUPPLEMENT_REMINDER_WORKING_DAYS; 0 = on the due date itself)
    supplement_reminder_working_days: int = Field(1, ge=0, le=30)
    # local hour from which that reminder goes out on its day (ONETRIP_SUPPLEMENT_REMINDER_HOUR)
    supplement_reminder_hour: int = Field(9, ge=0, le=23)
    case_max_total_upload_bytes: int = 200 * 1024 * 1024  # all files of one case together
    warning_yellow_days_left: int = 1  # yellow when at most this many working days are left …
    warning_yellow_used_ratio: float = 0.8  # … or this share of the promised time is used
    progress_ip_limit: int = 30  # public progress query: attempts per client IP per window
    progress_ip_window_seconds: int = 60
    progress_number_limit: int = 10  # attempts per case number per window (guessing the phone tail)
    progress_number_window_seconds: int = 3600
    # -- settings: appointments (issue 5) --
    booking_horizon_days: int = Field(14, ge=0, le=366)  # how far ahead a citizen may book
    booking_min_lead_minutes: int = Field(60, ge=0, le=10080)  # a slot closes this long before it starts
    booking_weekly_limit: int = Field(2, ge=1, le=100)  # bookings per citizen per ISO week (not cancelled)
    booking_cancel_cutoff_minutes: int = Field(120, ge=0, le=10080)  # 409 CANCEL_TOO_LATE after
    booking_attempts_per_minute: int = Field(10, ge=1, le=100_000)  # anti-bot throttle per citizen
    # … and per client address (a hall's or a school's NAT shares one): 429 RATE_LIMITED beyond
    booking_attempts_per_minute_per_address: int = Field(300, ge=1, le=10_000_000)
    booking_requires_profile: bool = True  # 409 PROFILE_INCOMPLETE without a real-name profile
    # share of each slot (percent, rounded down) kept for staff booking for a citizen (代约, 适老化)
    booking_staff_reserved_percent: int = Field(10, ge=0, le=100)
    # how long a process reuses a published item, a slot's fixed fields, a day's mode and the release
    # rules on the booking path (an admin's change shows within this); full slots: appointments.full_cache
    booking_cache_seconds: float = Field(5.0, ge=0, le=300)
    # GET /appointments/days and /slots answers shared per process for this long (0: off); this
    # process's own bookings show at once, other processes' within it
    listing_cache_seconds: float = Field(1.0, ge=0, le=10)
    no_show_limit: int = Field(2, ge=1, le=100)  # this many no-shows …
    no_show_window_days: int = Field(90, ge=1, le=3650)  # … within this many days …
    no_show_suspension_days: int = Field(90, ge=1, le=3650)  # … suspend booking for this long
    reminder_day_before_hour: int = Field(18, ge=0, le=23)  # local hour the day-before reminder goes out
    reminder_hour_before_minutes: int = Field(60, ge=1, le=1440)
    # 适老化 (LOTTERY helper's block): a citizen this old or older (birth date from the ID number) gets a
    # priority queue number at check-in ("AY001"), called before the group's other numbers; 0 = off
    queue_priority_age: int = Field(60, ge=0, le=150)
    # 延时服务: when a window group has no opening hours for the day, the hall closes at this local
    # time (HH:MM); no new number is given after closing, the citizens already waiting are served
    hall_closes_at: str = Field("17:30", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    # -- settings: notifications and bots (issue 6) --
    # template ids and keyword mapping: JSON text or a path to a JSON file (empty = the shipped default)
    notify_templates: str = ""
    notify_max_attempts: int = 6  # failures before a row is dead
    notify_backoff_base_seconds: float = 30.0  # retry n waits base * 2**(n-1), capped below
    notify_backoff_max_seconds: float = 3600.0
    notify_lease_seconds: float = 60.0  # a "sending" row older than this is due again (crashed sender)
    notify_job_timeout_seconds: float = 30.0  # arq send-job timeout; keep below the lease
    notify_concurrency: int = 32  # messages in flight per process (arq max_jobs in the worker)
    notify_poll_seconds: float = 1.0
    notify_queue_name: str = "onetrip:notify"
    notify_custom_window_hours: int = 48  # WeChat's customer-service window after a user's message
    notify_max_grants_per_template: int = 50
    notify_miniprogram_state: str = "formal"  # developer | trial | formal
    periodic_jobs_enabled: bool | None = None  # None: on, except in the test environment
    bot_timestamp_window_seconds: int = 300
    bot_reply_cache_seconds: int = 300
    bot_reply_budget_seconds: float = 4.0  # then answer "success" and follow up by customer-service message
    # -- settings: delivery and ratings (issue 7) --
    kuaidi100_customer: str = "dev-kuaidi100-customer"  # realtime query (poll/query.do) account id
    kuaidi100_timeout_seconds: float = Field(5.0, gt=0)
    kuaidi100_silence_hours: float = Field(24.0, gt=0)  # no push for this long → poll once, warn staff
    kuaidi100_subscribe_attempts: int = Field(5, ge=1)  # then staff are warned to track by hand
    # -- settings: 24-hour self-service pickup lockers (自助取件, issue 18) --
    locker_api_base: str = "http://127.0.0.1:9103"  # the vendor API (infra/simulators/locker.py)
    locker_secret: str = "dev-locker-secret"  # HMAC of the lockers' pickup calls, and of the codes
    locker_pickup_hours: int = Field(72, ge=1)  # then the deposit expires and staff take it back
    locker_timeout_seconds: float = Field(5.0, gt=0)
    locker_pickup_attempts_per_minute: int = Field(30, ge=1)  # per locker: guessing codes is slow
    rating_window_days: int = Field(7, ge=1)  # natural days after the decision to rate (then 基本满意)
    rating_return_visit_days: int = Field(1, ge=0)  # working days to call back a 差评 (Liaoning: 1)
    rating_rectify_days: int = Field(15, ge=1)  # working days to rectify a 差评 (Liaoning, Sichuan: 15)
    rating_follow_up_days: int = Field(3, ge=1)  # natural days after rectifying before asking again
    complaint_reply_days: int = Field(5, ge=1)  # working days for a supervisor to answer a complaint
    # complaints one citizen may file per window (each tells every supervisor), then 429 RATE_LIMITED
    complaint_rate_limit: int = Field(5, ge=1)  # ONETRIP_COMPLAINT_RATE_LIMIT
    complaint_rate_window_seconds: int = Field(3600, ge=1)  # ONETRIP_COMPLAINT_RATE_WINDOW_SECONDS
    # -- settings: staff workbench (issue 14) --
    # the Vite build served at /workbench/ and /hall/… (ONETRIP_WEB_DIST_DIR); None = web/dist
    web_dist_dir: Path | None = None
    # a workbench left idle this long logs out; the page reads it from the server
    workbench_idle_minutes: float = Field(30.0, gt=0, le=24 * 60)  # ONETRIP_WORKBENCH_IDLE_MINUTES
    # how long a signed file-preview link of the staff case detail works (ONETRIP_PREVIEW_LINK_SECONDS)
    preview_link_seconds: int = Field(300, ge=10, le=3600)
    # -- settings: e-licences (issue 17) --
    # how long a licence's verification code (亮证 QR) verifies (ONETRIP_LICENCE_CODE_SECONDS)
    licence_code_seconds: int = Field(300, ge=30, le=3600)
    # True when a secret above was generated into var/ rather than configured.
    dev_secrets: list[str] = Field(default_factory=list, exclude=True)

    @model_validator(mode="after")
    def _fill_dev_secrets(self) -> Settings:
        if not self.jwt_secret:
            self.jwt_secret = _read_or_create(self.var_dir / "jwt_secret", lambda: secrets.token_urlsafe(48))
            self.dev_secrets.append("ONETRIP_JWT_SECRET")
        if not self.data_key:
            self.data_key = _read_or_create(
                self.var_dir / "data_key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
            )
            self.dev_secrets.append("ONETRIP_DATA_KEY")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def check_production(self) -> None:
        """Refuse to run production with generated or sample secrets."""
        if self.env != "production":
            return
        problems = [f"{name} is not set (a development secret was generated)" for name in self.dev_secrets]
        if self.oa_token == DEV_OA_TOKEN or self.oa_aes_key == DEV_OA_AES_KEY:
            problems.append("ONETRIP_OA_TOKEN / ONETRIP_OA_AES_KEY are WeChat's published samples")
        if self.mp_appid == DEV_MP_APPID:
            problems.append("ONETRIP_MP_APPID is the development value")
        if problems:
            raise InsecureSettingsError("refusing to start in production: " + "; ".join(problems))


def _read_or_create(path: Path, make) -> str:
    """Read a generated secret, creating it once (0600) when absent."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    tmp.write_text(make())
    tmp.chmod(0o600)
    try:
        # link() fails if another process created it first: both then read the same value
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()
