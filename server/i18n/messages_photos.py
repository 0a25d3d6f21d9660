"""Photo evidence beside a photo in the console: its three clocks and where
else it was used. key -> (English, 简体中文)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "photo.time.camera": ("taken {time} (camera)", "拍摄 {time}（相机）"),
    "photo.time.no_camera": ("no camera time", "无相机时间"),
    "photo.time.device": ("device {time}", "设备 {time}"),
    "photo.time.received": ("received {time}", "收到 {time}"),
    "photo.time.mismatch": ("The camera's time is far from the phone's: the photo may be old.",
                            "相机时间与手机时间相差较大：可能是旧照片。"),
    "photo.reuse.sep": (", ", "，"),
    "photo.reuse.head": ("This photo was also used on", "这张照片也用于"),
    "photo.reuse.exact": ("(identical file)", "（完全相同的文件）"),
    "photo.reuse.near": ("(near-identical, {distance} bits apart)", "（高度相似，相差 {distance} 位）"),
    "photo.reuse.visit": ("visit #{id}", "检查 #{id}"),
    "photo.reuse.incident": ("an incident report", "事件报告"),
    "photo.reuse.loose": ("a photo without a visit", "未关联检查的照片"),
    "photo.reuse.pending": ("its visit has not synced yet", "其检查记录尚未同步"),
    "photo.reuse.hidden": ("outside the sites you supervise", "在您无权查看的范围内"),
    "photo.reuse.evidence": ("that photo", "该照片"),
}
