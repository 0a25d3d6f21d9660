"""The demo catalog: one office tower (锦程大厦), its departments, location tree,
checklist templates, rounds, users and the vocabulary for synthetic history.

Pure data, standard library only, no I/O; a loader elsewhere writes it to the
database. Plain dicts and lists throughout.

Wording. The cleaning, greening and fit-out items are the standards of the
source manual, word for word (notes/domain-000-001.md §3.3 A/B/C, §3.7,
§2.2): corridors and entrances 7 items, toilets 10, floor corridors (楼道) 4,
greening 8, fit-out compliance 8. The one change is 「无玻损」, an obvious typo
in the source, written 「无破损」. Plant-room, power-room and fire-equipment
items use the manual's engineering vocabulary (跑、冒、滴、漏; 仪器、仪表齐全
精确; 运转正常,无杂音; 控制阀门开关灵活) where it has any. The manual has no
security-patrol content, so the night-patrol and guard-post items are written
for this demo from the office-safety clauses (门窗关好, 消防通道安全出口,
可疑人员 → 立即报告保安部门) and the "hazard found: yes/no" rule.

Points: every judged item (pass_fail, yes_no, number, choice) earns 1-5 points;
text, photo and signature items earn 0 (they never fail, and an optional blank
remark must not lower a score).
"""

from __future__ import annotations

DEMO_PASSWORD = "rounds-demo"

SITE = {
    "code": "hq-tower",
    "name_zh": "锦程大厦",
    "name_en": "Jincheng Tower",
    "timezone": "Asia/Shanghai",
    "address_zh": "上海市浦东新区锦程路88号",
    "address_en": "88 Jincheng Road, Pudong New Area, Shanghai",
}

DEPARTMENTS = [
    {"code": "security", "name_zh": "保安部", "name_en": "Security"},
    {"code": "cleaning", "name_zh": "保洁部", "name_en": "Cleaning"},
    {"code": "engineering", "name_zh": "工程部", "name_en": "Engineering"},
    {"code": "customer_service", "name_zh": "客服部", "name_en": "Customer service"},
]


# ------------------------------------------------------------------ items
# Small builders so every item has exactly the keys of docs/api.md
# "Checklist items" (and nothing validate_items would refuse).


def _with_help(item: dict, help_zh: str, help_en: str) -> dict:
    if help_zh or help_en:
        item["help_zh"] = help_zh
        item["help_en"] = help_en
    return item


def _pf(id_, zh, en, points=1, photo=True, help_zh="", help_en=""):
    """A pass/fail item; a fail asks for a note and (by default) a photo."""
    item = {"id": id_, "kind": "pass_fail", "label_zh": zh, "label_en": en,
            "required": True, "photo_on_fail": photo, "points": points}
    return _with_help(item, help_zh, help_en)


def _yn(id_, zh, en, points=1, fail_on=False, photo=True, help_zh="", help_en=""):
    item = {"id": id_, "kind": "yes_no", "label_zh": zh, "label_en": en,
            "required": True, "photo_on_fail": photo, "points": points, "fail_on": fail_on}
    return _with_help(item, help_zh, help_en)


def _num(id_, zh, en, unit, lo, hi, pass_min, pass_max, points=2, help_zh="", help_en=""):
    item = {"id": id_, "kind": "number", "label_zh": zh, "label_en": en,
            "required": True, "photo_on_fail": True, "points": points,
            "unit": unit, "min": lo, "max": hi, "pass_min": pass_min, "pass_max": pass_max}
    return _with_help(item, help_zh, help_en)


def _choice(id_, zh, en, choices, points=2):
    return {"id": id_, "kind": "choice", "label_zh": zh, "label_en": en,
            "required": True, "photo_on_fail": True, "points": points,
            "choices": [{"value": v, "label_zh": z, "label_en": e, "fails": f}
                        for v, z, e, f in choices]}


def _text(id_, zh, en, required=False):
    return {"id": id_, "kind": "text", "label_zh": zh, "label_en": en,
            "required": required, "points": 0}


def _photo(id_, zh, en, required=True):
    return {"id": id_, "kind": "photo", "label_zh": zh, "label_en": en,
            "required": required, "points": 0}


def _signature(id_, zh, en):
    return {"id": id_, "kind": "signature", "label_zh": zh, "label_en": en,
            "required": True, "points": 0}


_REMARKS = ("备注", "Remarks")


# -------------------------------------------------------------- templates

TEMPLATES = [
    # §3.6.5 A 走廊及入口区域: 7 items, verbatim.
    {
        "key": "corridor_entrance",
        "name_zh": "走廊及入口区域清洁检查",
        "name_en": "Corridor and entrance cleaning check",
        "department": "cleaning",
        "items": [
            _pf("c1", "地面清洁,无污迹,无水痕,无纸屑",
                "Floor clean: no stains, no water marks, no paper scraps", points=3),
            _pf("c2", "柱面无灰尘,防火门亦无灰尘",
                "Columns dust-free, and fire doors dust-free too", points=2),
            _pf("c3", "扶手梯、栏杆上无灰尘",
                "Escalators and railings dust-free"),
            _pf("c4", "场内椅子、花盆上无尘、无污",
                "Chairs and planters free of dust and stains"),
            _pf("c5", "玻璃清洁无污迹,无水珠,无手印",
                "Glass clean: no stains, no droplets, no fingerprints", points=2),
            _pf("c6", "垃圾箱经常保持清洁,无过多的垃圾,对垃圾筒进行定期消毒",
                "Bins kept clean and not overfull; bins disinfected regularly", points=2),
            _pf("c7", "指示牌上无灰尘",
                "Signs dust-free"),
        ],
    },
    # §3.6.5 B 卫生间: 10 items, verbatim (「无玻损」 → 「无破损」).
    {
        "key": "toilet",
        "name_zh": "卫生间清洁检查",
        "name_en": "Toilet cleaning check",
        "department": "cleaning",
        "items": [
            _pf("c1", "卫生洁具做到清洁,无水迹,无异味",
                "Sanitary fixtures clean, no water marks, no odour", points=3),
            _pf("c2", "镜子明净,光亮,无灰尘,无污尘,无手印,无水迹",
                "Mirrors clean and bright: no dust, no grime, no fingerprints, no water marks"),
            _pf("c3", "电镀设备保持光亮,无浮尘,无水迹,无锈斑",
                "Chrome fittings kept shiny: no dust, no water marks, no rust spots"),
            _pf("c4", "墙角四处保持干净,无蛛网、地面无脚印、无杂物",
                "Corners clean with no cobwebs; floor free of footprints and debris", points=2),
            _pf("c5", "卫生洁具齐全,无破损",
                "Sanitary fixtures complete, none broken", points=2),
            _pf("c6", "保持卫生间空气清新,无异味",
                "Air kept fresh, no odour", points=2),
            _pf("c7", "保证有足够厕纸、香精球及洗手液",
                "Enough toilet paper, deodoriser balls and hand soap", points=2),
            _pf("c8", "纸花篓经常保持清洁,垃圾不得过半",
                "Waste baskets kept clean and never more than half full"),
            _pf("c9", "卫生间木隔板无尘、无水迹",
                "Wooden cubicle partitions free of dust and water marks"),
            _pf("c10", "下水道口无集水",
                "No standing water at the floor drains", points=2),
        ],
    },
    # §3.6.5 C 楼道清洁 (floor corridors and lift lobbies): 4 items, verbatim.
    {
        "key": "floor_corridor",
        "name_zh": "楼道清洁检查",
        "name_en": "Floor corridor and lift lobby cleaning check",
        "department": "cleaning",
        "items": [
            _pf("c1", "楼道墙面干净,无污迹,踢脚板无尘土",
                "Corridor walls clean with no stains; skirting boards free of dust", points=2),
            _pf("c2", "楼道两侧及电梯间上方的四个空调风口无尘土",
                "The four air-conditioning vents along the corridor and above the lift lobby free of dust",
                points=2),
            _pf("c3", "楼道地台做到无杂物,无尘土",
                "Corridor floor free of debris and dust", points=2),
            _pf("c4", "电梯厅地面无污迹,水迹、无纸屑、尘土、毛发,清洁,光亮",
                "Lift-lobby floor free of stains, water marks, paper scraps, dust and hair; clean and shiny",
                points=3),
        ],
    },
    # §3.7.3 绿化: 8 items, verbatim.
    {
        "key": "greening",
        "name_zh": "绿化养护检查",
        "name_en": "Greening care check",
        "department": "cleaning",
        "items": [
            _pf("c1", "植物盆内无烟、杂物、叶面、枝干;无浓厚浮灰,保持叶色翠绿",
                "Planters free of cigarette butts, debris, fallen leaves and twigs; no heavy dust; foliage kept green",
                points=2, help_zh="「烟」指烟头,「叶面、枝干」指落叶和枯枝。",
                help_en="Check the soil surface for cigarette butts, fallen leaves and dead twigs."),
            _pf("c2", "各类植物无枯萎、凋谢现象",
                "No plants wilting or withering", points=2),
            _pf("c3", "盆缸清擦干净、无污、无渍",
                "Pots and planters wiped clean, no dirt or stains"),
            _pf("c4", "草坪修剪整齐,无高低不平现象",
                "Lawn mown evenly, no uneven patches"),
            _pf("c5", "枝叶修剪齐整,无杂乱现象",
                "Shrubs neatly trimmed, nothing straggly"),
            _pf("c6", "草坪干净无纸屑、杂物、清洗干净",
                "Lawn clean: no paper scraps or debris, hosed clean"),
            _pf("c7", "各类植物无病虫害",
                "No pests or disease on any plant", points=2),
            _pf("c8", "严格管理草坪禁止人为踏坏,影响美观",
                "Lawn protected from trampling; no damage spoiling its look"),
        ],
    },
    # §3.2.3 fit-out compliance: 8 items, verbatim. Customer service, engineering
    # and security each patrol every fit-out unit at least once a day with it.
    {
        "key": "fit_out",
        "name_zh": "二次装修施工巡查",
        "name_en": "Fit-out works compliance check",
        "department": "customer_service",
        "items": [
            _pf("c1", "施工图纸符合有关二次装修的规定",
                "Works drawings comply with the fit-out rules", points=2),
            _pf("c2", "二装工人全部持证上岗(动火岗位需办理动火证)",
                "All fit-out workers hold site passes (hot work needs a hot-work permit)", points=3),
            _pf("c3", "无违章施工",
                "No unauthorised or non-compliant works", points=3),
            _pf("c4", "灭火器的摆放位置数量符合消防规范",
                "Fire extinguisher placement and quantity meet the fire code", points=3),
            _pf("c5", "施工垃圾做到随时清理",
                "Construction waste cleared as it arises", points=2),
            _pf("c6", "严格按照大厦规定时段使用强噪音施工工具",
                "Noisy power tools used only in the building's permitted hours", points=2),
            _pf("c7", "无打架斗殴事件及其它不文明行为",
                "No fights or other uncivil behaviour", points=2),
            _pf("c8", "无偷盗、纵火、抢劫、破坏公物等违法犯罪行为",
                "No theft, arson, robbery, vandalism or other crime", points=3),
        ],
    },
    # Pump and plant rooms; wording from the manual's engineering acceptance
    # vocabulary, readings and ranges for this building.
    {
        "key": "plant_room",
        "name_zh": "机房(水泵房)巡检",
        "name_en": "Plant room (pump room) inspection",
        "department": "engineering",
        "items": [
            _pf("c1", "设备、管道无跑、冒、滴、漏现象",
                "No leaks, overflows, drips or seepage from equipment or pipes", points=3),
            _pf("c2", "各种仪器、仪表齐全精确",
                "All instruments and gauges present and accurate", points=2),
            _pf("c3", "水泵运转正常,无杂音",
                "Pumps running normally, no abnormal noise", points=2),
            _pf("c4", "水泵运行时无较大震动",
                "No excessive vibration while the pumps run", points=2),
            _pf("c5", "控制阀门开关灵活",
                "Control valves open and close freely", points=2),
            _pf("c6", "安全装置灵敏、可靠",
                "Safety devices responsive and reliable", points=2),
            _num("c7", "水泵出口压力", "Pump outlet pressure", "MPa", 0, 2.5, 0.3, 1.0, points=3,
                 help_zh="读取运行泵出口压力表。", help_en="Read the outlet gauge of the running pump."),
            _num("c8", "机房温度", "Room temperature", "°C", -20, 60, 5, 35, points=1),
            _choice("c9", "控制柜运行方式", "Control panel mode", [
                ("auto", "自动", "Automatic", False),
                ("manual", "手动", "Manual", True),
                ("fault", "故障/停机", "Fault / stopped", True),
            ]),
            _pf("c10", "地面无积水,排水流畅",
                "No standing water on the floor; drains flow freely"),
            _photo("c11", "压力表读数照片", "Photo of the pressure gauge reading"),
            _text("c12", *_REMARKS),
        ],
    },
    {
        "key": "power_room",
        "name_zh": "配电房巡检",
        "name_en": "Power distribution room inspection",
        "department": "engineering",
        "items": [
            _pf("c1", "变压器、配电柜运转正常,无杂音",
                "Transformers and switchgear running normally, no abnormal noise", points=3),
            _pf("c2", "无焦糊异味",
                "No burning smell", points=3),
            _pf("c3", "各种仪器、仪表齐全精确",
                "All instruments and gauges present and accurate", points=2),
            _num("c4", "低压母线电压", "Low-voltage busbar voltage", "V", 0, 500, 360, 400),
            _num("c5", "变压器温度", "Transformer temperature", "°C", -20, 200, 0, 100,
                 help_zh="读取干式变压器温控器显示值。",
                 help_en="Read the dry-type transformer's temperature controller."),
            _yn("c6", "挡鼠板完好", "Rodent barrier boards in place"),
            _pf("c7", "配电房内无积水、无杂物",
                "No standing water or clutter in the room"),
            _yn("c8", "门窗完好、已上锁", "Doors and windows intact and locked"),
            _text("c9", *_REMARKS),
        ],
    },
    {
        "key": "extinguisher",
        "name_zh": "灭火器检查",
        "name_en": "Fire extinguisher check",
        "department": "engineering",
        "items": [
            _yn("c1", "压力表指针在绿区", "Pressure gauge needle in the green zone", points=2),
            _yn("c2", "保险销、铅封完好", "Safety pin and seal intact", points=2),
            _yn("c3", "检查卡在有效期内", "Inspection tag current"),
            _yn("c4", "无遮挡,取用方便", "Not blocked, easy to reach", points=2),
            _pf("c5", "灭火器的摆放位置数量符合消防规范",
                "Extinguisher placement and quantity meet the fire code", points=2),
            _pf("c6", "瓶体无变形、裂纹、腐蚀",
                "Cylinder free of deformation, cracks and corrosion"),
            _pf("c7", "喷管无老化、破损",
                "Hose not perished or damaged"),
        ],
    },
    {
        "key": "hydrant",
        "name_zh": "消火栓检查",
        "name_en": "Fire hydrant cabinet check",
        "department": "engineering",
        "items": [
            _yn("c1", "箱门开启灵活,玻璃完好", "Cabinet door opens freely, glass intact"),
            _yn("c2", "水带、水枪、接口齐全", "Hose, nozzle and couplings complete", points=2),
            _pf("c3", "栓口、管道无滴漏", "No drips from the valve or pipes", points=2),
            _yn("c4", "消火栓按钮完好", "Hydrant alarm button intact"),
            _yn("c5", "箱前无遮挡,箱内无杂物",
                "Nothing blocking the cabinet, nothing stored inside", points=2),
        ],
    },
    # The manual has no security-patrol content; written for the demo.
    {
        "key": "night_patrol",
        "name_zh": "夜间安全巡逻",
        "name_en": "Night security patrol",
        "department": "security",
        "items": [
            _yn("c1", "门窗已关好、锁闭", "Doors and windows closed and locked", points=2),
            _yn("c2", "照明正常", "Lighting working"),
            _yn("c3", "应急照明、疏散指示灯完好", "Emergency lights and exit signs working",
                points=2),
            _pf("c4", "消防通道、安全出口畅通,无堆放杂物",
                "Fire escape routes and exits clear, nothing stored in them", points=3),
            _pf("c5", "无烟火、焦糊等异味", "No smoke, fire or burning smell", points=3),
            _pf("c6", "无跑、冒、滴、漏现象", "No leaks, overflows or drips"),
            _yn("c7", "发现可疑人员", "Suspicious person found", points=3, fail_on=True,
                help_zh="如发现可疑人员,立即报告保安部门(值班主管)。",
                help_en="If you see a suspicious person, report to security (duty supervisor) at once."),
            _yn("c8", "发现其他安全隐患", "Other safety hazard found", points=2, fail_on=True,
                help_zh="隐患须当场处理并拍照,或报修并写明责任人和期限。",
                help_en="Fix a hazard on the spot with a photo, or report it with an owner and a deadline."),
            _text("c9", *_REMARKS),
        ],
    },
    {
        "key": "guard_post",
        "name_zh": "岗亭签到",
        "name_en": "Guard post sign-in",
        "department": "security",
        "items": [
            _yn("c1", "值班记录已如实填写", "Duty log filled in truthfully", points=2),
            _yn("c2", "监控画面正常", "CCTV monitors all showing a picture", points=2),
            _yn("c3", "对讲机、手电筒等装备齐全完好", "Radio, torch and other kit present and working"),
            _text("c4", "交接事项", "Items to hand over"),
            _signature("c5", "巡逻人员签名", "Patrolling guard's signature"),
        ],
    },
    {
        "key": "refuse_room",
        "name_zh": "垃圾房检查",
        "name_en": "Refuse room check",
        "department": "cleaning",
        "items": [
            _pf("c1", "地面无纸屑等其他可见的脏物",
                "Floor free of paper scraps and any other visible dirt", points=2),
            _pf("c2", "垃圾桶加盖、摆放整齐,无满溢",
                "Bins lidded, lined up and not overflowing", points=2),
            _pf("c3", "无异味", "No odour"),
            _yn("c4", "已按时喷洒药水", "Disinfectant and insecticide sprayed on schedule"),
            _choice("c5", "垃圾清运情况", "Refuse collection", [
                ("cleared", "已清运", "Collected", False),
                ("pending", "待清运(未超时)", "Awaiting collection (on time)", False),
                ("overdue", "超时未清运", "Collection overdue", True),
            ], points=1),
        ],
    },
]


# -------------------------------------------------------------- locations

def _node(key, kind, type_, zh, en, department="", template=None, children=None):
    return {"key": key, "kind": kind, "type": type_, "name_zh": zh, "name_en": en,
            "department": department, "template": template, "children": children or []}


def _point(key, type_, zh, en, department, template):
    return _node(key, "point", type_, zh, en, department, template)


def _toilets(floor: str, label: str) -> list[dict]:
    return [
        _point(f"{floor}-toilet-m", "toilet", f"{label}男卫生间", f"{label} men's toilet",
               "cleaning", "toilet"),
        _point(f"{floor}-toilet-f", "toilet", f"{label}女卫生间", f"{label} women's toilet",
               "cleaning", "toilet"),
    ]


def _extinguisher(floor: str, label: str) -> dict:
    return _point(f"{floor}-extinguisher", "extinguisher", f"{label}灭火器点(电梯厅旁)",
                  f"{label} fire extinguisher point (by the lift lobby)", "engineering",
                  "extinguisher")


# Units under fit-out (二次装修), by floor number.
_FIT_OUT_UNITS = {
    5: ("f5-unit-501", "501单元(二次装修)", "Unit 501 (fit-out works)"),
    7: ("f7-unit-702", "702单元(二次装修)", "Unit 702 (fit-out works)"),
}


def _office_floor(n: int) -> dict:
    floor, label = f"f{n}", f"{n}F"
    children = [
        _point(f"{floor}-lift-lobby", "lift_lobby", f"{label}电梯厅及走道",
               f"{label} lift lobby and corridor", "cleaning", "floor_corridor"),
        *_toilets(floor, label),
        _extinguisher(floor, label),
    ]
    if n in _FIT_OUT_UNITS:
        key, zh, en = _FIT_OUT_UNITS[n]
        children.append(_point(key, "fit_out_unit", zh, en, "customer_service", "fit_out"))
    return _node(floor, "floor", "floor", f"{label}办公层", f"{label} office floor",
                 children=children)


LOCATIONS = [
    _node("tower", "building", "building", "锦程大厦主楼", "Jincheng Tower main building", children=[
        _node("rf", "floor", "floor", "屋面层", "Roof level", children=[
            _point("rf-roof", "roof", "屋面(天台门)", "Roof (roof access door)",
                   "security", "night_patrol"),
            _point("rf-plant-room", "plant_room", "屋顶水箱间及增压泵房",
                   "Roof tank room and booster pumps", "engineering", "plant_room"),
        ]),
        *[_office_floor(n) for n in range(8, 1, -1)],
        _node("f1", "floor", "floor", "1F大堂层", "1F lobby floor", children=[
            _point("f1-entrance", "entrance", "1F正门入口", "1F main entrance",
                   "cleaning", "corridor_entrance"),
            _point("f1-lobby", "lobby", "1F大堂", "1F lobby", "cleaning", "corridor_entrance"),
            _point("f1-guard-post", "guard_post", "1F大堂保安岗", "1F lobby guard post",
                   "security", "guard_post"),
            *_toilets("f1", "1F"),
            _extinguisher("f1", "1F"),
            _point("f1-fire-stair-a", "fire_stair", "A号消防楼梯(1F安全出口)",
                   "Fire stair A (1F exit)", "security", "night_patrol"),
            _point("f1-fire-stair-b", "fire_stair", "B号消防楼梯(1F安全出口)",
                   "Fire stair B (1F exit)", "security", "night_patrol"),
            _node("f1-plaza", "zone", "greening", "前广场", "Front plaza", "cleaning", children=[
                _point("f1-plaza-greening", "greening", "前广场绿化(草坪及花坛)",
                       "Front plaza greening (lawn and planters)", "cleaning", "greening"),
            ]),
        ]),
        _node("b1", "floor", "floor", "B1地下一层", "B1 basement level 1", children=[
            _node("b1-carpark", "zone", "car_park", "B1停车场", "B1 car park", "security",
                  children=[
                      _point("b1-carpark-a", "car_park", "B1停车场A区(车道入口)",
                             "B1 car park zone A (ramp entrance)", "security", "night_patrol"),
                      _point("b1-carpark-b", "car_park", "B1停车场B区(货梯厅)",
                             "B1 car park zone B (goods-lift lobby)", "security", "night_patrol"),
                  ]),
            _point("b1-water-pump-room", "pump_room", "B1生活水泵房", "B1 domestic water pump room",
                   "engineering", "plant_room"),
            _point("b1-power-room", "power_room", "B1高低压配电房",
                   "B1 high/low-voltage power distribution room", "engineering", "power_room"),
            _point("b1-refuse-room", "refuse_room", "B1垃圾房", "B1 refuse room",
                   "cleaning", "refuse_room"),
            _point("b1-hydrant", "hydrant", "B1消火栓(车道入口)", "B1 fire hydrant (ramp entrance)",
                   "engineering", "hydrant"),
        ]),
        _node("b2", "floor", "floor", "B2地下二层", "B2 basement level 2", children=[
            _point("b2-carpark", "car_park", "B2停车场", "B2 car park", "security", "night_patrol"),
            _point("b2-fire-pump-room", "pump_room", "B2消防水泵房", "B2 fire pump room",
                   "engineering", "plant_room"),
        ]),
    ]),
]


def iter_locations(nodes: list[dict] | None = None, parent: str | None = None):
    """(node, parent key) for every node, parents before children, in list order."""
    for node in LOCATIONS if nodes is None else nodes:
        yield node, parent
        yield from iter_locations(node["children"], node["key"])


def point_keys() -> list[str]:
    return [node["key"] for node, _ in iter_locations() if node["kind"] == "point"]


# ------------------------------------------------------------------ rounds

_LOW_ZONE = [  # 1F-4F, walking order: outside in, then up the floors
    "f1-plaza-greening", "f1-entrance", "f1-lobby", "f1-toilet-m", "f1-toilet-f",
    "f2-lift-lobby", "f2-toilet-m", "f2-toilet-f",
    "f3-lift-lobby", "f3-toilet-m", "f3-toilet-f",
    "f4-lift-lobby", "f4-toilet-m", "f4-toilet-f",
]
_HIGH_ZONE = [  # 5F-8F: lift to the top, walk down
    f"f{n}-{p}" for n in range(8, 4, -1) for p in ("lift-lobby", "toilet-m", "toilet-f")
]

ROUNDS = [
    {
        "key": "clean-lead-low",
        "name_zh": "保洁领班巡查(低区1F–4F)",
        "name_en": "Cleaning team-lead inspection (low zone 1F–4F)",
        "kind": "patrol",
        "department": "cleaning",
        "assigned_role": "team_lead",
        "assignee": "lead1",
        "ordered": True,
        "checkpoints": [*_LOW_ZONE, "b1-refuse-room"],
        "schedule": {"type": "daily", "windows": [
            {"start": "08:00", "end": "09:30"}, {"start": "10:30", "end": "12:00"},
            {"start": "13:30", "end": "15:00"}, {"start": "16:00", "end": "17:30"},
        ], "grace_minutes": 30},
    },
    {
        "key": "clean-lead-high",
        "name_zh": "保洁领班巡查(高区5F–8F)",
        "name_en": "Cleaning team-lead inspection (high zone 5F–8F)",
        "kind": "patrol",
        "department": "cleaning",
        "assigned_role": "team_lead",
        "assignee": "lead1",
        "ordered": True,
        "checkpoints": list(_HIGH_ZONE),
        "schedule": {"type": "daily", "windows": [
            {"start": "08:30", "end": "10:00"}, {"start": "11:00", "end": "12:30"},
            {"start": "14:00", "end": "15:30"}, {"start": "16:30", "end": "18:00"},
        ], "grace_minutes": 30},
    },
    {
        "key": "clean-self-low",
        "name_zh": "保洁员自查(低区1F–4F)",
        "name_en": "Cleaner self-check (low zone 1F–4F)",
        "kind": "self_check",
        "department": "cleaning",
        "assigned_role": "cleaner",
        "assignee": "cleaner1",
        "ordered": False,
        "checkpoints": [*_LOW_ZONE, "b1-refuse-room"],
        "schedule": {"type": "daily", "windows": [
            {"start": "07:00", "end": "08:00"}, {"start": "12:00", "end": "13:00"},
            {"start": "17:00", "end": "18:00"},
        ], "grace_minutes": 30},
    },
    {
        "key": "clean-self-high",
        "name_zh": "保洁员自查(高区5F–8F)",
        "name_en": "Cleaner self-check (high zone 5F–8F)",
        "kind": "self_check",
        "department": "cleaning",
        "assigned_role": "cleaner",
        "assignee": "cleaner2",
        "ordered": False,
        "checkpoints": list(_HIGH_ZONE),
        "schedule": {"type": "daily", "windows": [
            {"start": "07:00", "end": "08:00"}, {"start": "12:00", "end": "13:00"},
            {"start": "17:00", "end": "18:00"},
        ], "grace_minutes": 30},
    },
    {
        # 「每日或隔日浇水」: watering and care three days a week.
        "key": "greening-care",
        "name_zh": "绿化养护自查",
        "name_en": "Greening care self-check",
        "kind": "self_check",
        "department": "cleaning",
        "assigned_role": "cleaner",
        "assignee": "cleaner1",
        "ordered": False,
        "checkpoints": ["f1-plaza-greening"],
        "schedule": {"type": "weekly", "weekdays": [0, 2, 4],
                     "windows": [{"start": "08:00", "end": "10:00"}], "grace_minutes": 60},
    },
    {
        "key": "night-patrol",
        "name_zh": "夜间安全巡逻",
        "name_en": "Night security patrol",
        "kind": "patrol",
        "department": "security",
        "assigned_role": "guard",
        "assignee": None,
        "ordered": True,
        # Sign in at the post, lift to the roof, down stair A, across to stair B,
        # down to the car parks.
        "checkpoints": ["f1-guard-post", "rf-roof", "f1-fire-stair-a", "f1-fire-stair-b",
                        "b1-carpark-a", "b1-carpark-b", "b2-carpark"],
        "schedule": {"type": "every", "every_minutes": 120, "from": "22:00", "to": "06:00",
                     "window_minutes": 60, "grace_minutes": 15},
    },
    {
        "key": "eng-plant-daily",
        "name_zh": "机房设备日常巡检",
        "name_en": "Plant room daily inspection",
        "kind": "patrol",
        "department": "engineering",
        "assigned_role": "technician",
        "assignee": "tech1",
        "ordered": True,
        "checkpoints": ["b2-fire-pump-room", "b1-water-pump-room", "b1-power-room",
                        "rf-plant-room"],
        "schedule": {"type": "daily", "windows": [
            {"start": "09:00", "end": "11:00"}, {"start": "15:00", "end": "17:00"},
        ], "grace_minutes": 30},
    },
    {
        "key": "eng-fire-weekly",
        "name_zh": "消防器材周检",
        "name_en": "Weekly fire equipment check",
        "kind": "patrol",
        "department": "engineering",
        "assigned_role": "technician",
        "assignee": "tech1",
        "ordered": True,
        "checkpoints": ["b1-hydrant", *[f"f{n}-extinguisher" for n in range(1, 9)]],
        "schedule": {"type": "weekly", "weekdays": [0],
                     "windows": [{"start": "14:00", "end": "17:00"}], "grace_minutes": 60},
    },
    {
        # 「每日抽查不得少于一次」, at an unannounced time.
        "key": "cs-spot-check",
        "name_zh": "客服每日抽查",
        "name_en": "Customer-service daily spot check",
        "kind": "spot_check",
        "department": "customer_service",
        "assigned_role": "inspector",
        "assignee": "inspector1",
        "ordered": False,
        "checkpoints": ["f1-lobby", "f1-toilet-f", "f3-toilet-m", "f6-lift-lobby",
                        "f8-toilet-f", "b1-refuse-room", "f1-guard-post"],
        "schedule": {"type": "random_daily", "from": "09:00", "to": "17:00",
                     "window_minutes": 60, "grace_minutes": 30},
    },
    # 「客服部、工程部、保安部每日分别对施工现场进行不少于一次的巡视工作」
    {
        "key": "fitout-cs",
        "name_zh": "装修单元巡视(客服部)",
        "name_en": "Fit-out unit patrol (customer service)",
        "kind": "patrol",
        "department": "customer_service",
        "assigned_role": "inspector",
        "assignee": "inspector1",
        "ordered": False,
        "checkpoints": ["f5-unit-501", "f7-unit-702"],
        "schedule": {"type": "daily", "windows": [{"start": "10:00", "end": "12:00"}],
                     "grace_minutes": 60},
    },
    {
        "key": "fitout-eng",
        "name_zh": "装修单元巡视(工程部)",
        "name_en": "Fit-out unit patrol (engineering)",
        "kind": "patrol",
        "department": "engineering",
        "assigned_role": "technician",
        "assignee": "tech1",
        "ordered": False,
        "checkpoints": ["f5-unit-501", "f7-unit-702"],
        "schedule": {"type": "daily", "windows": [{"start": "13:30", "end": "15:00"}],
                     "grace_minutes": 60},
    },
    {
        "key": "fitout-sec",
        "name_zh": "装修单元巡视(保安部)",
        "name_en": "Fit-out unit patrol (security)",
        "kind": "patrol",
        "department": "security",
        "assigned_role": "guard",
        "assignee": None,
        "ordered": False,
        "checkpoints": ["f5-unit-501", "f7-unit-702"],
        "schedule": {"type": "daily", "windows": [{"start": "18:00", "end": "20:00"}],
                     "grace_minutes": 60},
    },
    {
        "key": "joint-monthly",
        "name_zh": "月度联合检查",
        "name_en": "Monthly joint inspection",
        "kind": "joint",
        "department": "customer_service",
        "assigned_role": "inspector",
        "assignee": "inspector1",
        "ordered": True,
        "checkpoints": ["f1-plaza-greening", "f1-entrance", "f1-lobby", "f1-guard-post",
                        "f1-toilet-m", "f1-toilet-f", "f5-unit-501", "f5-lift-lobby",
                        "f7-unit-702", "f7-toilet-m", "b1-refuse-room", "b1-water-pump-room",
                        "b1-power-room", "b2-fire-pump-room"],
        "schedule": {"type": "monthly", "days": [15],
                     "windows": [{"start": "09:30", "end": "11:30"}], "grace_minutes": 120},
    },
]


# ------------------------------------------------------------------- users

USERS = [
    {"username": "guard1", "display_name": "刘建军", "role": "guard",
     "department": "security", "language": "zh-CN"},
    {"username": "guard2", "display_name": "陈志强", "role": "guard",
     "department": "security", "language": "zh-CN"},
    {"username": "cleaner1", "display_name": "张秀兰", "role": "cleaner",
     "department": "cleaning", "language": "zh-CN"},
    {"username": "cleaner2", "display_name": "李桂芳", "role": "cleaner",
     "department": "cleaning", "language": "zh-CN"},
    {"username": "tech1", "display_name": "王磊", "role": "technician",
     "department": "engineering", "language": "zh-CN"},
    {"username": "lead1", "display_name": "赵敏", "role": "team_lead",
     "department": "cleaning", "language": "zh-CN"},
    {"username": "inspector1", "display_name": "孙丽", "role": "inspector",
     "department": "customer_service", "language": "zh-CN"},
    {"username": "supervisor1", "display_name": "周红", "role": "supervisor",
     "department": "customer_service", "language": "zh-CN"},
    {"username": "manager1", "display_name": "黄建国", "role": "manager",
     "department": "", "language": "zh-CN"},
    {"username": "admin", "display_name": "系统管理员", "role": "admin",
     "department": "", "language": "en"},
]


# ------------------------------------------------- incidents and history

# `kind` is the incident kind of the API (server/domain/submission.py).
INCIDENT_KINDS = [
    {"kind": "suspicious_person", "name_zh": "可疑人员", "name_en": "Suspicious person"},
    {"kind": "hazard", "name_zh": "安全隐患", "name_en": "Hazard"},
    {"kind": "spill", "name_zh": "污渍/积水/呕吐物", "name_en": "Spill, wet floor or vomit"},
    {"kind": "damage", "name_zh": "设施损坏", "name_en": "Damage to facilities"},
    {"kind": "other", "name_zh": "其他", "name_en": "Other"},
]

# What a worker writes on a failed item: template key -> [{item, zh, en}], where
# `item` is the id of the item the note describes.
FAILURE_NOTES = {
    "corridor_entrance": [
        {"item": "c1", "zh": "门口地面有雨天脚印和水痕,已拖干并放防滑提示牌",
         "en": "Wet footprints and water marks at the door; mopped dry and put out a wet-floor sign"},
        {"item": "c2", "zh": "东侧防火门上沿积灰", "en": "Dust along the top of the east fire door"},
        {"item": "c5", "zh": "旋转门玻璃有手印,已擦净", "en": "Fingerprints on the revolving-door glass; wiped clean"},
        {"item": "c6", "zh": "大堂垃圾箱满溢,已清倒", "en": "Lobby bin overflowing; emptied"},
    ],
    "toilet": [
        {"item": "c1", "zh": "小便池有尿碱水迹", "en": "Urine scale and water marks on the urinals"},
        {"item": "c5", "zh": "3号隔间马桶盖板破损,已报修", "en": "Seat cover broken in cubicle 3; repair reported"},
        {"item": "c6", "zh": "有异味,排风扇不转", "en": "Bad smell; the exhaust fan is not running"},
        {"item": "c7", "zh": "厕纸用完,已补齐", "en": "Toilet paper ran out; restocked"},
        {"item": "c7", "zh": "洗手液缺货,仓库未到货", "en": "No hand soap; the store room has none in stock"},
        {"item": "c8", "zh": "纸篓超过一半,已清倒", "en": "Waste basket over half full; emptied"},
        {"item": "c10", "zh": "地漏堵塞积水,已报修工程部", "en": "Floor drain blocked, water standing; reported to engineering"},
    ],
    "floor_corridor": [
        {"item": "c1", "zh": "踢脚板有灰尘", "en": "Dust on the skirting boards"},
        {"item": "c2", "zh": "电梯厅上方空调风口积灰发黑", "en": "AC vent above the lift lobby black with dust"},
        {"item": "c4", "zh": "电梯厅地面有咖啡渍", "en": "Coffee stain on the lift-lobby floor"},
    ],
    "greening": [
        {"item": "c1", "zh": "花盆内有烟头", "en": "Cigarette butts in the planters"},
        {"item": "c2", "zh": "大堂绿萝叶子发黄,需更换", "en": "Pothos in the lobby turning yellow; needs replacing"},
        {"item": "c7", "zh": "月季发现蚜虫,已通知绿化公司", "en": "Aphids on the roses; greening contractor told"},
        {"item": "c8", "zh": "草坪有踩踏痕迹,建议加告示牌", "en": "Lawn trampled; suggest a keep-off sign"},
    ],
    "fit_out": [
        {"item": "c2", "zh": "电焊作业未出示动火证,已责令停工", "en": "Welding without a hot-work permit; work stopped"},
        {"item": "c2", "zh": "两名工人未佩戴出入证", "en": "Two workers without site passes"},
        {"item": "c4", "zh": "单元内仅1具灭火器,不足", "en": "Only one extinguisher in the unit; not enough"},
        {"item": "c5", "zh": "公共走道堆放施工垃圾", "en": "Construction waste piled in the public corridor"},
        {"item": "c6", "zh": "上午10点使用电锤,影响邻户办公", "en": "Hammer drill used at 10 a.m., disturbing neighbouring offices"},
    ],
    "plant_room": [
        {"item": "c1", "zh": "2号泵机械密封滴水", "en": "Mechanical seal of pump 2 dripping"},
        {"item": "c3", "zh": "1号泵轴承有异响", "en": "Pump 1 bearing making a noise"},
        {"item": "c7", "zh": "出口压力0.25MPa,偏低,已排查", "en": "Outlet pressure 0.25 MPa, too low; investigating"},
        {"item": "c9", "zh": "控制柜处于手动状态,已恢复自动", "en": "Control panel left in manual; set back to automatic"},
        {"item": "c10", "zh": "集水坑水位偏高,排污泵未启动", "en": "Sump level high; the sump pump did not start"},
    ],
    "power_room": [
        {"item": "c5", "zh": "2号变压器温度偏高,风机已启动", "en": "Transformer 2 running hot; cooling fans started"},
        {"item": "c6", "zh": "挡鼠板被移开未复位", "en": "Rodent barrier board removed and not put back"},
        {"item": "c7", "zh": "配电房内堆放纸箱", "en": "Cardboard boxes stored in the power room"},
    ],
    "extinguisher": [
        {"item": "c1", "zh": "压力表指针在红区,已更换", "en": "Gauge needle in the red zone; replaced"},
        {"item": "c2", "zh": "铅封缺失", "en": "Seal missing"},
        {"item": "c3", "zh": "检查卡已过期", "en": "Inspection tag out of date"},
        {"item": "c4", "zh": "灭火器被纸箱遮挡", "en": "Extinguisher hidden behind boxes"},
    ],
    "hydrant": [
        {"item": "c2", "zh": "水枪缺失", "en": "Nozzle missing"},
        {"item": "c3", "zh": "栓口滴水", "en": "Valve dripping"},
        {"item": "c5", "zh": "箱前停放电动车", "en": "E-bike parked in front of the cabinet"},
    ],
    "night_patrol": [
        {"item": "c1", "zh": "天台门未锁,已上锁", "en": "Roof door unlocked; locked it"},
        {"item": "c2", "zh": "B1停车场B区两支灯管不亮", "en": "Two tubes out in B1 car park zone B"},
        {"item": "c4", "zh": "安全出口堆放纸箱,已清走", "en": "Boxes stacked at the fire exit; moved away"},
        {"item": "c7", "zh": "B2发现一名男子徘徊,已劝离并报告值班主管",
         "en": "A man loitering in B2; asked him to leave and told the duty supervisor"},
        {"item": "c8", "zh": "消防楼梯扶手松动,已报修", "en": "Fire-stair handrail loose; repair reported"},
    ],
    "guard_post": [
        {"item": "c1", "zh": "上一班值班记录未填写完整", "en": "Previous shift's duty log incomplete"},
        {"item": "c2", "zh": "7号监控画面无信号", "en": "CCTV camera 7 shows no picture"},
        {"item": "c3", "zh": "对讲机电池无电", "en": "Radio battery flat"},
    ],
    "refuse_room": [
        {"item": "c1", "zh": "地面有污水", "en": "Dirty water on the floor"},
        {"item": "c2", "zh": "垃圾桶满溢未加盖", "en": "Bins overflowing with lids open"},
        {"item": "c5", "zh": "环卫车未按时清运", "en": "The refuse truck did not come on time"},
    ],
}
