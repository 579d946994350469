"""Upload answers."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.uploads.sniff import ALLOWED_EXTENSIONS


class UploadOut(BaseModel):
    # as its owner sees it, and as the uploads service hands it to other domains
    model_config = ConfigDict(from_attributes=True)

    id: int
    sha256: str = Field(description="文件内容的 SHA-256（十六进制）")
    size: int = Field(description="字节数")
    content_type: str = Field(description="按文件内容识别的类型")
    filename: str = Field(description="原文件名（仅用于显示）")
    attached: bool = Field(False, description="是否已用于办件；未使用的文件超时后自动删除")
    created_at: datetime


class UploadPreview(BaseModel):
    """A signed preview link of one upload (``uploads/preview.py``), as other domains get it."""

    upload_id: int
    url: str
    expires_at: datetime


class PreviewQuery(BaseModel):
    exp: int = Field(ge=0, le=2**40, description="链接失效时间（Unix 秒）")
    sig: str = Field(min_length=1, max_length=128, description="签名（HMAC-SHA256，十六进制）")


UPLOAD_REQUEST_DOC = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "一个文件，类型按内容识别并须与扩展名一致："
                        + "、".join(ALLOWED_EXTENSIONS),
                    }
                },
            }
        }
    },
}

PREVIEW_RESPONSE_DOC = {
    "description": "文件内容：JPEG、PNG、PDF 以原类型内联显示（Content-Disposition: inline），其他类型一律"
    "application/octet-stream 附件下载；均带 X-Content-Type-Options: nosniff、Content-Security-Policy 与 "
    "Cache-Control: private（不超过链接剩余有效期）",
    "content": {
        "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
        "image/png": {"schema": {"type": "string", "format": "binary"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    },
}

CONTENT_RESPONSE_DOC = {
    "description": "文件内容（按内容识别的类型）",
    # the type sniffed at upload (PDF, JPEG, PNG, OFD, DOCX …): any of the allow-list
    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
}
