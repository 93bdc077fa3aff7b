"""A live-commerce team's own script template (直播脚本), as studios write it in Excel or WPS:
a merged title row, info rows above the header, section rows, merged cells over several
rows, Excel time and date cells, several products in one cell, a segment across midnight,
a products sheet matched by SKU and by name, and one product that is not on it.

``python -m tests.harness.team_template resources/shows/team_template.xlsx`` regenerates the
shipped example. The tests build it too, and the expected mapping is written down in
``EXPECTED`` (what a person reading the sheet would say it means).
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HEADER = ["时间段", "环节", "时长", "产品", "直播话术", "福利/互动", "场控配合", "备注"]

# (时间段, 环节, 时长, 产品, 直播话术, 福利/互动, 场控配合, 备注); None = empty; "MERGED" = merged from above
ROWS: list[tuple | str] = [
    ("23:00-23:05", "开场暖场", "5分钟", None, "家人们晚上好！欢迎来到小鹿的直播间，今晚双十二宠粉专场，福利一波接一波。",
     "关注主播领满200减30优惠券\n点赞到1万抽免单", "开播前5分钟上架福袋；置顶公告", None),
    "第一部分 引流款",
    ("23:05~23:15", "引流款讲解", dt.time(0, 10), "小鹿保温杯、暖手宝", "这款保温杯是316不锈钢内胆，倒一杯热水到明天早上还是烫的。",
     "秒杀49元，限量200单", "改价49，弹讲解卡", "保温杯库存200"),
    ("23:15—23:25", "福袋互动", 10, None, "评论区扣'想要'，福袋马上开！", "福袋：评论'想要'参与", "发福袋，盯评论", None),
    "第二部分 利润款",
    ("23:25至23:40", "羊绒围巾讲解", dt.time(0, 15), "SK-SCARF", "100%山羊绒，摸起来特别软，不起球。", "第二件半价", "弹围巾卡", None),
    ("23:40-23:50", "MERGED", dt.time(10, 0), "MERGED", "看看这个颜色，上身特别显白。", "满299减50", "库存低于20提醒", None),
    ("23:50-00:10", "深夜秒杀", None, "羊绒围巾 + 暖手宝", "零点一到，围巾加暖手宝组合直接秒杀！", "秒杀199元", "零点准时上链接", None),
    ("00:10-00:15", "下播预告", "5", "发热鞋垫", "感谢家人们，明晚八点不见不散！", None, "下播前关闭购物车", "鞋垫不在选品表"),
]
PRODUCTS = [
    ("商品ID", "商品名称", "日常价", "直播价", "库存", "卖点"),
    ("BT-001", "小鹿保温杯", 129, 79, 300, "316不锈钢内胆；12小时保温"),
    ("HW-002", "暖手宝", 59, 39, 500, None),
    ("SK-SCARF", "羊绒围巾", 399, 259, 120, "100%山羊绒；不起球"),
]

# What the sheet means (checked by the tests on the workbook and on its LibreOffice exports)
EXPECTED = {
    "title": "双十二宠粉专场 直播脚本",
    "planned_start": dt.datetime(2026, 12, 12, 23, 0),
    "anchors": ["小鹿", "阿杰"],
    "desk": ["阿May"],
    "target_gmv": 500000.0,
    "segments": [
        # title, kind, duration_s, planned start (day, h, m), products, section
        ("开场暖场", "opening", 300, (12, 23, 0), [], ""),
        ("引流款讲解", "product", 600, (12, 23, 5), ["BT-001", "HW-002"], "第一部分 引流款"),
        ("福袋互动", "lucky_draw", 600, (12, 23, 15), [], "第一部分 引流款"),
        ("羊绒围巾讲解", "product", 900, (12, 23, 25), ["SK-SCARF"], "第二部分 利润款"),
        ("羊绒围巾讲解", "product", 600, (12, 23, 40), ["SK-SCARF"], "第二部分 利润款"),
        ("深夜秒杀", "flash_sale", 1200, (12, 23, 50), ["SK-SCARF", "HW-002"], "第二部分 利润款"),
        ("下播预告", "closing", 300, (13, 0, 10), ["发热鞋垫"], "第二部分 利润款"),
    ],
    "drops": [("seg-1", "coupon", "满200减30"), ("seg-2", "flash_sale", "秒杀49元"), ("seg-5", "coupon", "满299减50"),
              ("seg-6", "flash_sale", "秒杀199元")],
}


def build_team_template(path: str | Path) -> Path:
    """Write the template workbook to ``path`` (openpyxl, as Excel would save it)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "直播脚本"
    ws.append(["双十二宠粉专场 直播脚本"])
    ws.merge_cells("A1:H1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["直播时间", dt.datetime(2026, 12, 12, 23, 0), "主播", "小鹿、阿杰", "场控", "阿May", "目标", "GMV 50万"])
    ws["B2"].number_format = "yyyy/m/d h:mm"
    ws.append(["直播平台：抖音"])
    ws.append([])
    ws.append(HEADER)
    for c in ws[5]:
        c.font = Font(bold=True)
    merge_from: dict[int, int] = {}
    for item in ROWS:
        if isinstance(item, str):  # a section row across the table
            ws.append([item])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(HEADER))
            continue
        values = [None if v == "MERGED" else v for v in item]
        ws.append(values)
        r = ws.max_row
        for col, v in enumerate(item, start=1):
            cell = ws.cell(r, col)
            if isinstance(v, dt.time):
                cell.number_format = "h:mm:ss"
            if v == "MERGED":
                ws.merge_cells(start_row=merge_from[col], start_column=col, end_row=r, end_column=col)
            else:
                merge_from[col] = r
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGH", (14, 14, 8, 20, 50, 28, 24, 16)):
        ws.column_dimensions[letter].width = width
    wp = wb.create_sheet("商品")
    for row in PRODUCTS:
        wp.append(list(row))
    path = Path(path)
    wb.save(path)
    return path


if __name__ == "__main__":
    print(build_team_template(sys.argv[1] if len(sys.argv) > 1 else "team_template.xlsx"))
