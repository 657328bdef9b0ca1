"""The article reader as benchmark cases (issue 17): the review screen of the largest seed article
(fixtures/articles/), read by the reader and checked against the register for duplicates, and its
acceptance (every proposal as prefilled: the source, new partners, drafts and citations), each
timed in one transaction that is rolled back, so the register is left as it was."""

import gc
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from offices.scope import writing_province
from operations.benchmark.cases import busiest_province
from operations.benchmark.imports import ImportCase
from operations.benchmark.runner import MB, RssSampler

REVIEW_TARGET = {"seconds": 1}
ACCEPT_TARGET = {"seconds": 2}
RUNS = 5
NOTES = ("review", "accept")  # the cases' notes: the benchmark command times these here


def reading_cases():
    return [
        ImportCase("article reader: review screen (rolled back)", 0, "review", dict(REVIEW_TARGET), writes=True),
        ImportCase("article reader: accept (rolled back)", 0, "accept", dict(ACCEPT_TARGET), writes=True),
    ]


def seed_article():
    """The largest of the seed articles: the most for the reader to read."""
    return max((Path(settings.BASE_DIR) / "fixtures" / "articles").glob("*.txt"), key=lambda p: p.stat().st_size)


def time_reading(case, user):
    """Seconds (the median of RUNS) of the review screen's GET, or of the accept POST, for the seed
    article; in a transaction rolled back afterwards."""
    from reading.models import ArticleReading
    from reading.review import KINDS, build_review, prefilled_post
    from reading.text import extract_text

    path = seed_article()
    province = writing_province(user) or busiest_province()
    gc.collect()
    sampler = RssSampler()
    sampler.start()
    timings, statuses, counts = [], [], {"new": 0, "update": 0, "rows": 0}
    with translation.override("vi"), transaction.atomic():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for run in range(RUNS if case.note == "review" else 1):
            article = ArticleReading.objects.create(
                province_id=province, text=extract_text(path.read_text(encoding="utf-8")), title=path.name
            )
            url = reverse("admin:reading_review", args=[article.pk])
            if run == 0:
                review = build_review(article)
                items = [item for kind in KINDS for item in review.items[kind]]
                counts = {"rows": len(items), "new": sum(not i.duplicates for i in items)}
                counts["update"] = counts["rows"] - counts["new"]
            data = prefilled_post(build_review(article)) if case.note == "accept" else None
            started = time.perf_counter()
            response = client.post(url, data) if data is not None else client.get(url)
            timings.append(time.perf_counter() - started)
            statuses.append(200 if response.status_code in (200, 302) else response.status_code)
        transaction.set_rollback(True)
    sampler.stop()
    seconds = sorted(timings)[len(timings) // 2]
    return {
        "name": case.name,
        "rows": counts["rows"],
        "bytes": path.stat().st_size,
        "status": sorted(set(statuses)),
        "new": counts["new"],
        "update": counts["update"],
        "skip": 0,
        "seconds": round(seconds, 3),
        "rows_per_s": round(counts["rows"] / seconds) if seconds > 0 else None,
        "memory_mb": round((sampler.peak - sampler.before) / MB, 1),
        "note": f"{path.name}, {counts['rows']} proposals",
        "targets": case.targets,
    }
