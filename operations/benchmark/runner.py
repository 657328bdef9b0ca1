"""Timing through the full Django stack with the test client: middleware,
sessions, view, templates, as a production worker runs them (DEBUG off).

Each page is requested a few times to warm up, then timed ``requests`` times
with time.perf_counter (request sent to the last byte of the body); a further
request, not timed, is run with every statement recorded as the database cursor
received it (explain.Executed: SQL, placeholders and parameters) to count its
queries and find its main query, which explain.py then times raw: the same
statement with the same parameters. Exports are consumed
block by block; their memory is traced in a run of their own."""

import gc
import math
import os
import resource
import statistics
import threading
import time
import tracemalloc
from contextlib import ExitStack

from django.db import connections

from operations.benchmark.explain import Executed, main_query, time_raw

MB = 1024 * 1024
SQL_SHOWN = 600  # characters of each of a page's slowest queries kept in the JSON


def fetch(client, url):
    """GETs ``url`` (as https, as behind the production proxy) and reads its whole
    body; returns (status, bytes). The client closes the response itself (a
    second close would send request_finished and close the connection)."""
    response = client.get(url, secure=True)
    size = sum(map(len, response.streaming_content)) if response.streaming else len(response.content)
    return response.status_code, size


def percentile(values, fraction):
    """The nearest-rank percentile: p95 of 20 values is the 19th smallest."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * fraction)) - 1]


def capture(client, url):
    """One request with an execute wrapper on every database: its queries, each
    as {"sql", "statement", "params", "many", "time", "alias"} (explain.Executed),
    the statement and parameters exactly as the page's cursor received them."""
    recorders = [Executed(alias) for alias in connections]
    with ExitStack() as stack:
        for recorder in recorders:
            stack.enter_context(connections[recorder.alias].execute_wrapper(recorder))
        fetch(client, url)
    return [query for recorder in recorders for query in recorder.queries]


def time_page(case, client, requests, warmup):
    for _ in range(warmup):
        fetch(client, case.url)
    timings, statuses = [], set()
    for _ in range(requests):
        started = time.perf_counter()
        status, _size = fetch(client, case.url)
        timings.append((time.perf_counter() - started) * 1000)
        statuses.add(status)
    queries = capture(client, case.url)
    result = {
        "name": case.name,
        "url": case.url,
        "who": case.who,
        "group": case.group,
        "n": requests,
        "warmup": warmup,
        "status": sorted(statuses),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "queries": len(queries),
        "sql_ms": round(sum(float(q["time"] or 0) for q in queries) * 1000, 2),
        "slowest_queries": [
            {"ms": round(float(q["time"] or 0) * 1000, 1), "sql": q["sql"][:SQL_SHOWN]}
            for q in sorted(queries, key=lambda q: float(q["time"] or 0), reverse=True)[:3]
        ],
        "main_query": None,
        "main_query_ms": None,
        "ratio": None,
        "note": case.note,
        "targets": case.targets,
    }
    chosen = main_query(queries, case.main_table) if case.main_table else None
    if chosen is not None:
        raw = time_raw(chosen)
        result.update(main_query=raw, main_query_ms=raw["raw_ms"])
        result["ratio"] = round(result["p50_ms"] / raw["raw_ms"], 2) if raw["raw_ms"] > 0 else None
    return result


class RssSampler(threading.Thread):
    """The highest resident set size seen while running, read every 10 ms."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = self.before = current_rss()
        self.running = True

    def run(self):
        while self.running:
            self.peak = max(self.peak, current_rss())
            time.sleep(0.01)

    def stop(self):
        self.running = False
        self.join()
        self.peak = max(self.peak, current_rss())


def current_rss():
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: the high-water mark, which only grows
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def time_export(case, client, runs, warmup):
    """Rows per second over ``runs`` timed exports (median), then one more under
    tracemalloc with the resident memory sampled: the growth is the larger of the
    traced peak and the resident peak minus the resident size before."""
    for _ in range(warmup):
        fetch(client, case.url)
    seconds, statuses, size = [], set(), 0
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        status, size = fetch(client, case.url)
        seconds.append(time.perf_counter() - started)
        statuses.add(status)
    gc.collect()
    sampler = RssSampler()
    sampler.start()
    tracemalloc.start()
    fetch(client, case.url)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sampler.stop()
    median = statistics.median(seconds)
    rss_growth = (sampler.peak - sampler.before) / MB
    return {
        "name": case.name,
        "url": case.url,
        "format": case.file_format,
        "n": runs,
        "warmup": warmup,
        "status": sorted(statuses),
        "rows": case.rows,
        "bytes": size,
        "seconds_p50": round(median, 3),
        "rows_per_s": round(case.rows / median) if median > 0 else None,
        "tracemalloc_peak_mb": round(traced_peak / MB, 2),
        "rss_growth_mb": round(rss_growth, 2),
        "memory_mb": round(max(traced_peak / MB, rss_growth), 2),
        "note": case.note,
        "targets": case.targets,
    }
