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
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    max_json_body_bytes: int = 1024 * 1024
    wechat_timeout_seconds: float = 5.0
    log_json: bool = True
    # -- settings: catalog (issue 3) --
    # -- settings: workdays and uploads (issue 4) --
    # -- settings: cases and supervision (issue 4) --
    # -- settings: appointments (issue 5) --
    # -- settings: notifications and bots (issue 6) --
    # -- settings: delivery and ratings (issue 7) --
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
