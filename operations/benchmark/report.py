"""The benchmark's results: each measure checked against its target (PASS or
MISS, and by how much), the machine and data they were taken on, written as
JSON for machines and as a Markdown table for docs/PERFORMANCE.md."""

import json
import os
import platform
import sys

import django
from django.db import connection

SCHEMA_VERSION = 1

# metric -> (label, "max" when the value must stay at or under the limit, unit)
METRICS = {
    "p50_ms": ("p50", "max", " ms"),
    "p95_ms": ("p95", "max", " ms"),
    "ratio": ("page/SQL", "max", "×"),
    "rows_per_s": ("speed", "min", " rows/s"),
    "memory_mb": ("memory", "max", " MB"),
    "seconds": ("time", "max", " s"),
}


def cpu_name():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gb():
    try:
        with open("/proc/meminfo") as meminfo:
            return round(int(meminfo.readline().split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        return None


def machine():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "memory_gb": memory_gb(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "django": django.get_version(),
        "database": {"vendor": connection.vendor, "version": version, "name": str(connection.settings_dict["NAME"])},
    }


def check(result):
    """Adds "checks" (one per target: value, limit, pass, margin in percent) and
    "verdict" ("PASS", "MISS" or "ERROR" when a request did not answer 200)."""
    checks = []
    for metric, limit in result["targets"].items():
        value = result.get(metric)
        if value is None:
            continue
        kind = METRICS[metric][1]
        passed = value <= limit if kind == "max" else value >= limit
        margin = round((value - limit) / limit * 100, 1)
        checks.append({"metric": metric, "value": value, "limit": limit, "pass": passed, "margin_pct": margin})
    result["checks"] = checks
    if result["status"] != [200]:
        result["verdict"] = "ERROR"
    else:
        result["verdict"] = "PASS" if all(c["pass"] for c in checks) else "MISS"
    return result


def build(machine_info, data, date, cases, exports, settings_note, imports=(), accounts=None, peer=None):
    """``accounts``: who -> the account that ran that client's cases, as the report names it;
    ``peer``: the run beside Datasette (operations/benchmark/peer.py), when asked for."""
    return {
        "schema": SCHEMA_VERSION,
        "date": date,
        "machine": machine_info,
        "data": data,
        "accounts": dict(accounts or {}),
        "settings": settings_note,
        "cases": [check(case) for case in cases],
        "exports": [check(export) for export in exports],
        "imports": [check(case) for case in imports],
        "peer": peer,
    }


def write_json(report, path):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(report, out, ensure_ascii=False, indent=2)
        out.write("\n")


def limits(result):
    """The targets in short: "p50 ≤ 100 ms, p95 ≤ 200 ms, page/SQL ≤ 2×"."""
    parts = []
    for metric, limit in result["targets"].items():
        label, kind, unit = METRICS[metric]
        parts.append(f"{label} {'≤' if kind == 'max' else '≥'} {limit:,}{unit}")
    return ", ".join(parts)


def verdict_cell(result):
    """PASS or MISS with each measure's distance to its limit, in percent of the
    limit (negative: under it); the ratio as the factor itself."""
    if result["verdict"] == "ERROR":
        return f"ERROR (status {', '.join(map(str, result['status']))})"
    parts = []
    for check_ in result["checks"]:
        label, _kind, unit = METRICS[check_["metric"]]
        mark = "" if check_["pass"] else "**"
        if check_["metric"] == "ratio":
            parts.append(f"{mark}{label} {check_['value']:,.1f}{unit}{mark}")
        else:
            parts.append(f"{mark}{label} {check_['margin_pct']:+,.0f} %{mark}")
    return f"{result['verdict']} ({', '.join(parts)})" if parts else result["verdict"]


def cell(value, digits=1):
    return "–" if value is None else f"{value:,.{digits}f}"


def markdown(report):
    m, data = report["machine"], report["data"]
    db = m["database"]
    lines = [
        "# Performance",
        "",
        "Measured by `python manage.py benchmark` (issue 6) through the full Django stack",
        "(the test client: middleware, sessions, view, templates; DEBUG off).",
        "",
        f"- Date: {report['date']}",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {cell(m['memory_gb'])} GB RAM; {m['os']}",
        f"- Software: Python {m['python']}, Django {m['django']}, {db['vendor']} {db['version']}",
        "- Data: " + ", ".join(f"{n:,} {name}" for name, n in data.items()),
        *(
            ["- Signed in as: " + "; ".join(f"{who}: {name}" for who, name in report["accounts"].items())]
            if report.get("accounts")
            else []
        ),
        f"- {report['settings']}",
        "",
        "## Pages",
        "",
        "Time from request to the last byte: p50 and p95 over the timed requests after the warm-up.",
        "Result: each measure's distance to its limit in percent of the limit (negative: under it);",
        "a miss in bold.",
        "SQL ms: the time of all the page's queries in one request (Django's own clock).",
        "Main SQL: the page's slowest query on its main table, run raw (PostgreSQL: EXPLAIN ANALYZE,",
        "planning + execution; SQLite: execute + fetch), median of 5; ratio = page p50 / main SQL.",
        "It is the statement the page executed, taken from the connection with its placeholders and",
        "run with the same parameters (not written into the text, where a plan may differ).",
        "Who: the client that asks (an official of one province, the national role reading every",
        "province, an anonymous visitor, the administrator).",
        "",
        "| Case | who | URL | n | p50 ms | p95 ms | queries | SQL ms | main SQL ms | ratio | targets | result |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for r in report["cases"]:
        name = r["name"] + (f" ({r['note']})" if r["note"] else "")
        lines.append(
            f"| {name} | {r['who']} | `{r['url']}` | {r['n']} | {cell(r['p50_ms'])} | {cell(r['p95_ms'])} "
            f"| {r['queries']} "
            f"| {cell(r['sql_ms'], 0)} | {cell(r['main_query_ms'], 2)} | {cell(r['ratio'])} "
            f"| {limits(r)} | {verdict_cell(r)} |"
        )
    plans = [r for r in report["cases"] if (r.get("main_query") or {}).get("plan")]
    if plans:
        lines += [
            "",
            "### Main SQL plans",
            "",
            "The plan of each main SQL as run (SQLite: EXPLAIN QUERY PLAN with the parameters bound;",
            "PostgreSQL: the nodes of EXPLAIN ANALYZE); a SCAN without an index, or a temporary",
            "B-tree for the ORDER BY, reads the whole table.",
            "",
            "| Case | who | plan |",
            "|---|---|---|",
        ]
        for r in plans:
            steps = "; ".join(line.strip() for line in r["main_query"]["plan"]).replace("|", "\\|")
            lines.append(f"| {r['name']} | {r['who']} | {steps} |")
    if report["exports"]:
        lines += [
            "",
            "## Exports",
            "",
            "Rows per second: median over the timed runs (the response streamed and read to the end).",
            "Memory: growth during one further run, the larger of the tracemalloc peak and the",
            "resident-set peak (sampled every 10 ms) minus the resident size before.",
            "",
            "| Export | URL | rows | runs | s (p50) | rows/s | memory MB | targets | result |",
            "|---|---|--:|--:|--:|--:|--:|---|---|",
        ]
        for r in report["exports"]:
            name = r["name"] + (f" ({r['note']})" if r["note"] else "")
            lines.append(
                f"| {name} | `{r['url']}` | {r['rows']:,} | {r['n']} | {r['seconds_p50']:.2f} "
                f"| {cell(r['rows_per_s'], 0)} | {cell(r['memory_mb'])} | {limits(r)} | {verdict_cell(r)} |"
            )
    if report.get("imports"):
        lines += [
            "",
            "## Imports",
            "",
            "The admin import's preview (issue 13): an XLSX of delegations as the export writes them, one row",
            "in ten updating an existing record, read (streamed) and checked row by row, writing nothing.",
            "Memory: the resident-set peak during the preview minus the resident size before.",
            "",
            "| Import | rows | new | updated | s | rows/s | memory MB | targets | result |",
            "|---|--:|--:|--:|--:|--:|--:|---|---|",
        ]
        for r in report["imports"]:
            lines.append(
                f"| {r['name']} | {r['rows']:,} | {r['new']:,} | {r['update']:,} | {r['seconds']:.1f} "
                f"| {cell(r['rows_per_s'], 0)} | {cell(r['memory_mb'])} | {limits(r)} | {verdict_cell(r)} |"
            )
    if report.get("peer"):
        lines += ["", *peer_section(report["peer"])]
    results = report["cases"] + report["exports"] + report.get("imports", [])
    passed = sum(r["verdict"] == "PASS" for r in results)
    lines += ["", f"{passed} of {len(results)} measures meet their targets.", ""]
    lines += REPRODUCE
    return "\n".join(lines)


def peer_section(peer):
    from operations.benchmark.peer import ratio_table

    lines = [
        "## Beside Datasette",
        "",
        f"The same SQLite file (`{peer['file']}`) served by the register and by Datasette {peer['version']},",
        "both over HTTP on 127.0.0.1, a new connection per request, timed to the last byte; the requests",
        "interleaved (ours, Datasette, ours...) after a warm-up. Ratio = ours p50 / Datasette p50.",
        "",
        f"- Ours: {peer['ours']}",
        f"- Datasette: {peer['theirs']}",
        "",
        *ratio_table(peer["pairs"]),
        "",
        "What each pair is:",
        "",
    ]
    lines += [f"- {r['name']}: {r['note']}" for r in peer["pairs"] if r["note"]]
    return lines


REPRODUCE = [
    "## Reproduce",
    "",
    "On PostgreSQL (the 1,000,000 delegations take about 7 minutes to generate on 2 cores):",
    "",
    "```sh",
    "createdb -h 127.0.0.1 -U postgres lsa_national",
    "export DATABASE_URL=postgres://postgres@127.0.0.1:5432/lsa_national DJANGO_DEBUG=1",
    ".venv/bin/python manage.py migrate",
    ".venv/bin/python manage.py seed_demo            # the articles' records and the demo accounts",
    ".venv/bin/python manage.py generate_synthetic --delegations 1000000 --seed 1   # over the 34 provinces",
    "DJANGO_DB_CONNECT_TIMEOUT=30 .venv/bin/python manage.py benchmark \\",
    "    --official benchmark-official --national benchmark-national \\",
    "    --json bench.json --markdown docs/PERFORMANCE.md",
    "```",
    "",
    "The two accounts named are missing, so the benchmark makes them for the run and deletes them",
    "at the end: an official of the province holding the most delegations (`--province` chooses",
    "another) and a member of the national group. Nothing else is written.",
    "",
]
