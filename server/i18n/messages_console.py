"""Console layout, login and home. key -> (English, 简体中文)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # layout
    "app.name": ("Rounds", "巡检"),
    "nav.today": ("Today", "今日"),
    "nav.visits": ("Visits", "检查记录"),
    "nav.review": ("Photo review", "照片审核"),
    "nav.findings": ("Findings", "问题整改"),
    "nav.spot_checks": ("Spot checks", "抽查"),
    "nav.reports": ("Reports", "报告"),
    "nav.setup": ("Setup", "设置"),
    "nav.people": ("People", "人员"),
    "nav.field_app": ("Field app", "现场应用"),
    "nav.logout": ("Log out", "退出"),
    "nav.language": ("中文", "English"),
    "nav.skip": ("Skip to content", "跳到正文"),
    # login
    "login.title": ("Log in", "登录"),
    "login.username": ("Username", "用户名"),
    "login.password": ("Password", "密码"),
    "login.submit": ("Log in", "登录"),
    "login.console_only": (
        "The console is for team leads, inspectors, supervisors, managers and admins. "
        "Field staff use the field app.",
        "管理台供领班、稽核、主管、经理和管理员使用。现场人员请使用现场应用。",
    ),
    # generic
    "common.empty": ("Nothing here yet.", "暂无内容。"),
    "common.save": ("Save", "保存"),
    "common.cancel": ("Cancel", "取消"),
    "common.site": ("Site", "项目"),
    "common.forbidden": ("You are not allowed to see this page.", "您无权查看此页面。"),
    "console.home.title": ("Console", "管理台"),
    "console.error.request_id": ("request id", "请求编号"),
    "console.home.sites": ("Your sites", "您的项目"),
    "console.home.no_sites": (
        "You are not a member of any site yet. Ask an administrator to add you.",
        "您尚未加入任何项目，请联系管理员。",
    ),
}
