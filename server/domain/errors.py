"""Every rejection Rounds gives has a stable machine code, an HTTP status and a
message in English and Simplified Chinese. Controllers turn RoundsError into a
4xx JSON body; services and domain code raise it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# code -> (http status, English, 简体中文)
CATALOG: dict[str, tuple[int, str, str]] = {
    # request shape
    "malformed_body": (400, "The request body is malformed.", "请求内容格式错误。"),
    "body_too_large": (413, "The request body is too large.", "请求内容过大。"),
    "method_not_allowed": (405, "This method is not allowed here.", "不允许此请求方法。"),
    "missing_header": (400, "A required header is missing.", "缺少必需的请求头。"),
    "json_too_deep": (400, "The request body is nested too deeply.", "请求内容嵌套层级过深。"),
    "nul_character": (
        422,
        "A text contains a NUL character (\\u0000), which cannot be stored; remove it and send again.",
        "文本中含有空字符（\\u0000），无法保存；请删除后重新提交。",
    ),
    # auth
    "not_authenticated": (401, "Please log in.", "请先登录。"),
    "bad_credentials": (401, "Wrong username or password.", "用户名或密码错误。"),
    "login_rate_limited": (429, "Too many login attempts. Try again later.", "登录尝试过多，请稍后再试。"),
    "forbidden": (403, "You are not allowed to do this.", "您无权执行此操作。"),
    "site_forbidden": (403, "This site is not yours.", "您不是该项目的成员。"),
    "person_forbidden": (403, "This person works only at sites that are not yours.", "此人员仅属于您无权管理的项目。"),
    "cross_site_request": (403, "Cross-site request refused.", "拒绝跨站请求。"),
    "not_found": (404, "Not found.", "未找到。"),
    # field sync
    "unknown_tag": (422, "This label is not known.", "无法识别此标签。"),
    "revoked_tag": (422, "This label has been revoked.", "此标签已作废。"),
    "unknown_location": (422, "This location is not known.", "无法识别此位置。"),
    "unknown_template_version": (422, "This checklist version is not known.", "无法识别此检查表版本。"),
    "template_mismatch": (422, "This checklist does not belong to this location.", "该检查表不属于此位置。"),
    "unknown_round": (422, "This round is not known.", "无法识别此巡检路线。"),
    "unknown_item": (422, "The answer refers to an item not in the checklist.", "答案引用了检查表中不存在的项目。"),
    "duplicate_answer": (422, "An item was answered twice.", "同一项目回答了两次。"),
    "required_answer_missing": (422, "A required item has no answer.", "必填项目未回答。"),
    "invalid_answer": (422, "An answer does not fit its item.", "答案与项目类型不符。"),
    "number_out_of_range": (422, "A number is outside the allowed range.", "数值超出允许范围。"),
    "photo_required": (422, "A failed item needs a photo.", "不合格项目需要照片。"),
    "note_required": (422, "A failed item needs a note.", "不合格项目需要备注。"),
    "invalid_kind": (422, "Unknown visit kind.", "未知的检查类型。"),
    "invalid_time": (422, "A time is missing or malformed.", "时间缺失或格式错误。"),
    "idempotency_conflict": (
        422,
        "This ID was already used for a different submission.",
        "此编号已用于另一条不同的提交。",
    ),
    # findings (fix evidence from the owner's phone)
    "fix_incomplete": (422, "A fix needs a note and an after-photo.", "整改需要填写说明并拍摄整改后照片。"),
    "unknown_finding": (422, "This finding is not known.", "无法识别此问题。"),
    "not_finding_owner": (403, "This rectification is not assigned to you.", "此整改任务不属于您。"),
    "finding_not_rectifying": (
        422,
        "This finding is no longer being rectified (closed or not assigned).",
        "此问题已不在整改中（已关闭或未下发整改）。",
    ),
    # photos
    "photo_checksum_mismatch": (422, "The photo's checksum does not match its bytes.", "照片校验值与内容不符。"),
    "photo_too_large": (413, "The photo is too large.", "照片文件过大。"),
    "photo_empty": (422, "The photo is empty.", "照片内容为空。"),
    "unsupported_media_type": (415, "This file type is not accepted.", "不支持此文件类型。"),
    "image_corrupt": (422, "The image is damaged or incomplete.", "图片已损坏或不完整。"),
    "image_too_many_pixels": (422, "The image has too many pixels.", "图片像素过多。"),
    "storage_unavailable": (503, "Photo storage is unavailable; please resend later.", "照片存储暂不可用，请稍后重发。"),
    # console import of a phone's exported outbox file
    "invalid_outbox_file": (
        422,
        "This file is not a Rounds outbox export (rounds-outbox/1); nothing was imported.",
        "此文件不是巡检应用导出的待发送记录（rounds-outbox/1），未导入任何内容。",
    ),
    "outbox_unknown_user": (
        422,
        "The person who recorded this file is not known on this server; nothing was imported.",
        "此文件的记录人在本服务器上不存在，未导入任何内容。",
    ),
    # setup
    "invalid_schedule": (422, "The schedule rule is not valid.", "排班规则无效。"),
    "invalid_template": (422, "The checklist template is not valid.", "检查表模板无效。"),
    "conflict": (409, "This conflicts with existing data.", "与现有数据冲突。"),
    "validation_error": (422, "Some fields are not valid.", "部分字段无效。"),
    "invalid_csv": (422, "The CSV file has errors; nothing was imported.", "CSV 文件有错误，未导入任何内容。"),
    "invalid_document": (422, "The setup document is not valid; nothing was imported.", "设置文件无效，未导入任何内容。"),
    "last_admin": (409, "This would leave no active administrator.", "此操作将导致没有可用的管理员。"),
    "location_in_use": (409, "This location is a checkpoint of an active round.", "该位置是启用中巡检路线的检查点。"),
    # running it (readiness, faults); the phone resends on any 5xx
    "internal_error": (
        500,
        "Something went wrong on the server. Quote the request id when you report it.",
        "服务器出错。报告问题时请提供请求编号。",
    ),
    "database_unavailable": (
        503,
        "The database is unavailable; nothing was saved. Please try again later.",
        "数据库暂不可用，未保存任何内容，请稍后再试。",
    ),
    "migrations_pending": (
        503,
        "The database needs migrating before this server can take requests.",
        "数据库需要先升级（迁移）后服务器才能处理请求。",
    ),
}


@dataclass
class RoundsError(Exception):
    """A refusal with a stable code. `detail` carries machine-readable context
    (the item id, the allowed range, ...)."""

    code: str
    detail: dict[str, Any] = field(default_factory=dict)
    status: int | None = None

    def __post_init__(self) -> None:
        if self.code not in CATALOG:
            raise KeyError(f"unknown error code {self.code!r}")
        if self.status is None:
            self.status = CATALOG[self.code][0]
        super().__init__(self.code)

    @property
    def message_en(self) -> str:
        return CATALOG[self.code][1]

    @property
    def message_zh(self) -> str:
        return CATALOG[self.code][2]

    def body(self, language: str = "en") -> dict[str, Any]:
        zh = language.lower().startswith("zh")
        return {
            "code": self.code,
            "message": self.message_zh if zh else self.message_en,
            "messages": {"en": self.message_en, "zh-CN": self.message_zh},
            "detail": self.detail,
        }
