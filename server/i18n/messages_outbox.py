"""Console import of a phone's exported outbox file. key -> (English, 简体中文)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.outbox_import": ("Phone import", "手机数据导入"),
    "outbox_import.title": ("Import a phone's waiting items", "导入手机上待发送的记录"),
    "outbox_import.intro": (
        "When a phone cannot sync (broken, or offline for days), its user taps “Export waiting items” "
        "in the app's Outbox and hands you the file (rounds-outbox-….json). Upload it here: every item "
        "is recorded as the person who recorded it, with the same checks as the phone's own sync. "
        "Items already on the server are skipped, so importing a file twice, or after the phone "
        "synced after all, stores nothing twice.",
        "手机无法同步时（损坏或长时间离线），使用者可在应用的“待发送”页点“导出待发送记录”，把文件"
        "（rounds-outbox-….json）交给您。在此上传：每条记录都以原记录人的身份保存，检查与手机同步完全相同。"
        "服务器已有的记录会跳过，因此同一文件导入两次、或手机之后又同步成功，都不会重复保存。",
    ),
    "outbox_import.file": ("Outbox file (.json)", "待发送记录文件（.json）"),
    "outbox_import.submit": ("Import", "导入"),
    "outbox_import.again": ("Import another file", "导入其他文件"),
    "outbox_import.error_detail": ("Where", "位置"),
    "outbox_import.item_n": ("item {n}", "第 {n} 条"),
    "outbox_import.summary": (
        "{created} created · {held} already held · {refused} refused",
        "新建 {created} 条 · 已存在 {held} 条 · 被拒绝 {refused} 条",
    ),
    "outbox_import.recorded_by": ("Recorded by", "记录人"),
    "outbox_import.device": ("Device", "设备"),
    "outbox_import.exported_at": ("Exported at", "导出时间"),
    "outbox_import.inactive": ("(account deactivated since)", "（该账号已停用）"),
    "outbox_import.empty": ("The file holds no waiting items. Nothing to import.", "文件中没有待发送的记录，无需导入。"),
    "outbox_import.col.n": ("#", "序号"),
    "outbox_import.col.kind": ("Item", "类型"),
    "outbox_import.col.recorded": ("Recorded on the phone", "手机记录时间"),
    "outbox_import.col.what": ("What", "内容"),
    "outbox_import.col.id": ("ID", "编号"),
    "outbox_import.col.result": ("Result", "结果"),
    "outbox_import.col.reason": ("Reason", "原因"),
    "outbox_import.kind.visit": ("Visit", "检查记录"),
    "outbox_import.kind.incident": ("Incident report", "事件报告"),
    "outbox_import.kind.photo": ("Photo", "照片"),
    "outbox_import.kind.fix": ("Fix (rectification)", "整改完成"),
    "outbox_import.for_fix": ("after-photo of fix {id}", "整改 {id} 的整改后照片"),
    "outbox_import.fix_of": ("finding #{id}", "问题 #{id}"),
    "outbox_import.inc.suspicious_person": ("suspicious person", "可疑人员"),
    "outbox_import.inc.hazard": ("hazard", "安全隐患"),
    "outbox_import.inc.spill": ("spill", "泼洒/渗漏"),
    "outbox_import.inc.damage": ("damage", "损坏"),
    "outbox_import.inc.other": ("other", "其他"),
    "outbox_import.outcome.created": ("Created", "已新建"),
    "outbox_import.outcome.held": ("Already held", "服务器已有"),
    "outbox_import.outcome.refused": ("Refused", "被拒绝"),
    "outbox_import.for_visit": ("for visit {id}", "属于检查记录 {id}"),
    "outbox_import.label": ("label {code}", "标签 {code}"),
    "outbox_import.open_visit": ("Open visit", "查看记录"),
    "outbox_import.phone_said": ("The phone last got: {code}", "手机上次收到：{code}"),
}
