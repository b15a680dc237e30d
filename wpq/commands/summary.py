"""A money summary (``wpq funding --summary``, ``--by``, ``--chart``) in every format: the
whole object in JSON and YAML, a row per group and currency in TSV, CSV and a table, or
bars on a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..render.text import CITATION_FORMATS, Format
from .formats import check, check_color, drawn, output_format, split_fields
from .output import finish, write
from .streams import unicode_stdout

if TYPE_CHECKING:
    from .options import Options

Row = dict[str, Any]


def emit_summary(
    opts: Options,
    summary: dict[str, Any],
    *,
    chart: bool = False,
    footer: Sequence[str] = (),
    short: Mapping[str, str] | None = None,
) -> None:
    """The ``--summary`` object: whole in JSON/YAML, one row per group and currency otherwise.

    --fields, --sort and --limit apply to the groups (JSON) or to the rows (other formats);
    the overall totals always cover every group.
    """
    from ..questions.funding import GROUP_FIELDS, sort_order, summary_columns, summary_rows
    from ..questions.rows import pick
    from ..render.text import render_document, render_jsonl

    check_color(opts.color)
    fmt = output_format(opts, drawn=drawn(opts, chart=chart))
    check(opts, fmt, what="summary", chart=chart)
    if fmt in CITATION_FORMATS:
        raise UsageError(f"--format {fmt.value} is for listings; see: wpq cite --help")
    fields = split_fields(opts.fields)
    summary_fields = summary_columns(summary["by"])

    def picked(items: list[Row], valid: Sequence[str]) -> list[Row]:
        return pick(
            items,
            fields=fields,
            sort=opts.sort,
            desc=opts.desc,
            limit=opts.limit,
            valid=valid,
            order=sort_order(None) if valid is summary_fields else None,
        )

    whole = fmt in (Format.json, Format.yaml, Format.jsonl)
    groups = picked(summary["groups"], GROUP_FIELDS) if whole else []
    # a chart draws the groups (--sort key or name), a table their rows by currency
    rows = [] if whole or chart else picked(summary_rows(summary), summary_fields)
    columns = fields or summary_fields
    if fmt is Format.table:
        from ..render.table import capture, render_chart, render_table

        if not fields and not summary["granted"]:  # no grants: no column of zeros
            rows = [{k: v for k, v in row.items() if k != "granted"} for row in rows]
        charted = picked(summary["groups"], GROUP_FIELDS) if chart else []

        def draw(console: Any) -> None:
            if not (rows or charted):
                return  # nothing matched: said on stderr
            if chart:  # the groups --sort and --limit leave
                render_chart(console, {**summary, "groups": charted}, footer, wide=opts.wide)
            else:
                title = f"Funding by {summary['by']}"
                render_table(
                    console,
                    rows,
                    "funding-summary",
                    fields=fields,
                    title=title,
                    footer=footer,
                    wide=opts.wide,
                    short=short,
                    headers=not opts.no_headers,
                )

        write(capture(draw, opts.color))
    elif fmt is Format.jsonl:  # one line per group, as --jsonl gives one per row elsewhere
        write(render_jsonl(groups))
    else:
        document = {**summary, "groups": groups}
        write(
            render_document(
                fmt,
                document,
                sections=[(columns, rows)],
                headers=not opts.no_headers,
                unicode=unicode_stdout(),
            )
        )
    finish(opts, bool(groups or rows or (chart and summary["groups"])))
