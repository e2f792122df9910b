"""Charts as inline SVG drawn by matplotlib (no pyplot, no display, no CDN). Text stays
text (`svg.fonttype: none`) so the browser draws Chinese with its own fonts."""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Sequence
from datetime import date

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

CHECKS, BLOCKS = "#4c78a8", "#e45756"
_STYLE = {"svg.fonttype": "none", "svg.hashsalt": "content-safety", "font.size": 9,
          "font.family": ["DejaVu Sans", "sans-serif"], "axes.spines.top": False,
          "axes.spines.right": False}

# no RDF block naming matplotlib.org and Dublin Core
_NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
_XMLNS = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    with warnings.catch_warnings():  # CJK glyphs: measured with DejaVu, drawn by the browser
        warnings.simplefilter("ignore")
        level = logging.getLogger("matplotlib").level
        logging.getLogger("matplotlib").setLevel(logging.ERROR)
        try:
            fig.savefig(buffer, format="svg", bbox_inches="tight", metadata=_NO_METADATA)
        finally:
            logging.getLogger("matplotlib").setLevel(level)
    svg = buffer.getvalue()
    # inline SVG in HTML needs no namespace declarations (the HTML parser supplies them,
    # xlink:href included): the page then holds no URL at all
    return _XMLNS.sub("", svg[svg.index("<svg"):])


def daily(days: Sequence[date], checks: Sequence[int], blocks: Sequence[int]) -> str:
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(9, 3))
        ax = fig.subplots()
        x = range(len(days))
        ax.bar(x, checks, color=CHECKS, label="checks 检查")
        ax.bar(x, blocks, color=BLOCKS, label="blocks 拦截")
        ax.set_xticks(list(x), [d.strftime("%d") for d in days])
        ax.set_xlabel(days[0].strftime("%Y-%m") if days else "")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(frameon=False)
        return _svg(fig)


def bars(labels: Sequence[str], values: Sequence[int], color: str = BLOCKS,
         second: Sequence[int] | None = None) -> str:
    """Horizontal bars, largest on top; `second` overlays a second series (blocks of users)."""
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(9, 0.6 + 0.3 * max(1, len(labels))))
        ax = fig.subplots()
        y = list(range(len(labels)))[::-1]
        ax.barh(y, values, color=color, label="checks 检查" if second is not None else None)
        if second is not None:
            ax.barh(y, second, color=BLOCKS, label="blocks 拦截")
            ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the bars, never over them
        ax.set_yticks(y, [str(label)[:40] for label in labels])
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _svg(fig)
