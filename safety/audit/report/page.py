"""The report as one HTML file: inline CSS and SVG, nothing fetched, English and Chinese."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from . import charts
from .filing import Table
from .stats import MonthStats

TOTALS = (
    ("checks", "Checks 检查次数"), ("blocks", "Blocked 拦截"), ("flagged", "Flagged for review 待复核"),
    ("errors", "Check errors 检查失败"), ("disabled", "Checks switched off 未开启检查"),
    ("users", "Users 用户"), ("prompts", "Prompts 提示词任务"), ("quota_refusals", "Quota refusals 超出配额"),
    ("bursts", "Bursts 突发请求"), ("labelled_outputs", "Labelled outputs 已标识输出"),
    ("unlabelled_outputs", "Unlabelled outputs 未标识输出"),
)
CSS = """body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:1000px;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;
vertical-align:top}th{background:#f4f4f4}td.num{text-align:right}code{font-size:.85em;word-break:break-all}
.note{color:#666;font-size:.9em}svg{max-width:100%;height:auto}"""


def _cell(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<td class="num">{value}</td>'
    text = html.escape(str(value))
    if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
        text = f"<code>{text}</code>"
    return f"<td>{text}</td>"


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body or '<tr><td colspan=9>none 无</td></tr>'}</table>"


def _when(t: float) -> str:
    return datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M:%S")


def render(stats: MonthStats, appendix: list[Table], *, privacy: str, source: str, store: str,
           burst_rule: str) -> str:
    days = stats.days
    parts = [f"<h1>Content safety monthly report 内容安全月度报告 · {html.escape(stats.month)}</h1>",
             f'<p class="note">Generated 生成于 {datetime.now().strftime("%Y-%m-%d %H:%M")} · config 配置 '
             f'{html.escape(source)} · store 存储 {html.escape(store)} · times in local time 本地时间</p>',
             "<h2>Totals 总计</h2>", table(("figure 指标", "value 数值"),
                                           [(label, stats.totals[key]) for key, label in TOTALS]),
             "<h2>Checks and blocks per day 每日检查与拦截</h2>",
             charts.daily(days, [stats.checks_per_day[d] for d in days], [stats.blocks_per_day[d] for d in days])]
    for title, counter in (("Blocks by category 按类别拦截", stats.blocks_by_category),
                           ("Blocks by provider 按检查方拦截", stats.blocks_by_provider)):
        top = counter.most_common(15)
        parts += [f"<h2>{title}</h2>"]
        if top:
            parts += [charts.bars([k for k, _ in top], [v for _, v in top])]
        parts += [table(("name 名称", "blocks 拦截"), top)]
    users = stats.top_users(10)
    parts += ["<h2>Top users 活跃用户</h2>"]
    if users:
        parts += [charts.bars([u for u, _, _ in users], [c for _, c, _ in users], charts.CHECKS,
                              second=[b for _, _, b in users])]
    parts += [table(("user 用户", "checks 检查", "blocks 拦截"), users)]
    hashed = " (SHA-256: audit.privacy is hash 隐私模式仅存哈希)" if privacy == "hash" else ""
    parts += [f"<h2>Top blocked terms 高频拦截词{html.escape(hashed)}</h2>",
              table(("term 词", "blocks 拦截"), stats.blocked_terms.most_common(20))]
    parts += ["<h2>Unlabelled outputs by user 未标识输出的接收用户</h2>",
              table(("user 用户", "unlabelled runs 未标识次数"), stats.unlabelled_by_user.most_common(50))]
    parts += [f"<h2>Bursts 突发请求</h2><p class=\"note\">{html.escape(burst_rule)}</p>",
              table(("user 用户", "from 开始", "to 结束", "requests 请求数"),
                    [(b.user, _when(b.start), _when(b.end), b.requests) for b in stats.bursts[:50]])]
    parts += ["<h2>Appendix: safety measures as configured 附录：安全措施配置（备案材料）</h2>"]
    for item in appendix:
        parts += [f"<h3>{html.escape(item.title)}</h3>", table(item.header, item.rows)]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Content safety report {html.escape(stats.month)}</title><style>{CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")


def csv_rows(stats: MonthStats) -> list[tuple[str, str, int]]:
    """(section, key, value): every figure of the page, for spreadsheets."""
    rows = [("total", key, stats.totals[key]) for key, _ in TOTALS]
    rows += [("checks_per_day", d.isoformat(), stats.checks_per_day[d]) for d in stats.days]
    rows += [("blocks_per_day", d.isoformat(), stats.blocks_per_day[d]) for d in stats.days]
    for section, counter in (("blocks_by_category", stats.blocks_by_category),
                             ("blocks_by_provider", stats.blocks_by_provider),
                             ("checks_by_user", stats.checks_by_user), ("blocks_by_user", stats.blocks_by_user),
                             ("blocked_term", stats.blocked_terms),
                             ("unlabelled_by_user", stats.unlabelled_by_user)):
        rows += [(section, k, v) for k, v in counter.most_common()]
    rows += [("burst", f"{b.user} {_when(b.start)} - {_when(b.end)}", b.requests) for b in stats.bursts]
    return rows
