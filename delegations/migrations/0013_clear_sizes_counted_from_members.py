"""Clear the delegation sizes that the admin counted from the member list.

Until this release, saving a delegation whose "number of persons" was blank
filled it with the number of members listed: a delegation entered with only its
head became "1 person", one with two names "2 persons", and the reports added
these made-up counts to the person-trips. Staff usually know the head's name and
not the whole list, so such a count says nothing about the delegation's size.

Which rows are cleared (be conservative: a size that may have been typed stays):

1. the size equals the number of members listed, at least one (a size typed by
   staff had to equal it too, so this alone proves nothing: rule 2 decides); and
2. nothing the record rests on states that number of persons: not its title or
   outcome, not the excerpts of its citations, not the full text of the sources
   they cite. A number "states" a size when it is written as digits (1.200 too)
   or as a Vietnamese word up to ten, followed by a word for people ("5 người",
   "hai đồng chí", "12 thành viên", "3 lượt cán bộ") or preceded by "gồm"/"đoàn
   có" ("đoàn gồm 5"). A record with no citation has no source stating it.

The seeded records (fixtures/30_delegations.json, from the articles in
fixtures/articles/) list no members and leave every size blank, as the articles
give no delegation's size: none of them is touched. Each cleared row gets a
historical row ("changed", no user, the reason below), so its history shows the
size going from the old count to blank, and the delegation tallies follow through
their triggers. Going back does nothing: the old counts stay in the history.
"""

import re
import unicodedata

from django.db import migrations
from django.db.models import Count, F
from django.utils import timezone

REASON = "Size cleared: it was counted from the member list, not stated by a source"
BATCH = 2000
WORDS = {1: "một", 2: "hai", 3: "ba", 4: "bốn", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười"}
PEOPLE = (
    r"(?:lượt\s+)?(?:người|thành\s+viên|đồng\s+chí|cán\s+bộ|đại\s+biểu|vị|khách|công\s+chức|viên\s+chức"
    r"|chuyên\s+gia|doanh\s+nhân|học\s+sinh|sinh\s+viên|phóng\s+viên|nghệ\s+sĩ|vận\s+động\s+viên)"
)


def number_pattern(n):
    """``n`` as a whole word: 1200, 1.200, and the Vietnamese word for 1 to 10."""
    digits = {str(n), f"{n:,}".replace(",", ".")}
    forms = [re.escape(d) for d in sorted(digits)] + ([WORDS[n]] if n in WORDS else [])
    return rf"(?<![\w.,])(?:{'|'.join(forms)})(?![\w]|[.,]\d)"


def states_size(texts, n):
    """Whether any of ``texts`` states ``n`` persons (see the module's rule 2)."""
    number = number_pattern(n)
    stated = re.compile(rf"{number}\s+{PEOPLE}(?!\w)|(?<!\w)(?:gồm|gồm\s+có|đoàn\s+có)\s+{number}", re.IGNORECASE)
    return any(stated.search(unicodedata.normalize("NFC", text)) for text in texts if text)


def cited_texts(apps, ids):
    """{delegation id: [excerpt, full text of the cited source, ...]} for ``ids``."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Citation = apps.get_model("sources", "Citation")
    kind = ContentType.objects.filter(app_label="delegations", model="delegation").first()
    texts = {pk: [] for pk in ids}
    if kind is None:
        return texts
    citations = list(
        Citation.objects.filter(content_type=kind, object_id__in=ids).values_list("object_id", "excerpt", "source_id")
    )
    Source = apps.get_model("sources", "Source")
    bodies = dict(Source.objects.filter(pk__in={c[2] for c in citations}).values_list("pk", "body"))
    for object_id, excerpt, source_id in citations:
        texts[object_id] += [excerpt, bodies.get(source_id, "")]
    return texts


def clear_counted_sizes(apps, schema_editor):
    Delegation = apps.get_model("delegations", "Delegation")
    History = apps.get_model("delegations", "HistoricalDelegation")
    HistoryLinks = apps.get_model("delegations", "HistoricalDelegation_partners")
    Links = Delegation.partners.through
    candidates = (
        Delegation.objects.annotate(named=Count("members"))
        .filter(named__gt=0, size=F("named"))
        .values_list("pk", "size", "title", "outcome")
        .order_by("pk")
    )
    fields = [f for f in History._meta.concrete_fields if not f.name.startswith("history_")]
    last = 0
    while True:
        batch = list(candidates.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1][0]
        texts = cited_texts(apps, [row[0] for row in batch])
        cleared = [pk for pk, size, title, outcome in batch if not states_size([title, outcome, *texts[pk]], size)]
        if not cleared:
            continue
        Delegation.objects.filter(pk__in=cleared).update(size=None)
        now = timezone.now()
        rows = [
            History(
                **{f.attname: getattr(d, f.attname) for f in fields},
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
                history_user=None,
            )
            for d in Delegation.objects.filter(pk__in=cleared).order_by("pk")
        ]
        History.objects.bulk_create(rows)
        # The partner links as they stand, with each new historical row (as simple_history records them).
        made = dict(
            History.objects.filter(id__in=cleared, history_change_reason=REASON, history_date=now).values_list(
                "id", "history_id"
            )
        )
        HistoryLinks.objects.bulk_create(
            HistoryLinks(id=link_id, delegation_id=delegation_id, partner_id=partner_id, history_id=made[delegation_id])
            for link_id, delegation_id, partner_id in Links.objects.filter(delegation_id__in=cleared).values_list(
                "pk", "delegation_id", "partner_id"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0012_size_as_stated"),
        ("sources", "0007_source_in_review_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(clear_counted_sizes, migrations.RunPython.noop, elidable=True),
    ]
