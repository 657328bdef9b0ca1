"""The database keeps "no more members listed than the delegation's size" (when
the size is known): triggers on both tables (delegations/members_sql.py).

Rows already breaking the rule (more people named than the size given) cannot
stay as they are, and refusing to migrate would leave the register down until
someone edits them by hand. Which number is wrong is not known, but the names
are facts while the size of such a row contradicts them: its size is cleared to
blank (unknown, which the reports count as such and the admin shows as "unknown
(N known by name)") and a historical row says why, so the old size is in its
history and staff can type the right one. The list of those delegations is
printed as the migration runs. Going back drops the triggers and keeps the
sizes cleared (the old values stay in the history).
"""

from django.db import migrations
from django.db.models import Count, F
from django.utils import timezone

from delegations import members_sql
from register.tallies import install_in_migration

REASON = "Size cleared: fewer than the members listed by name (the register now refuses that)"


def clear_sizes_below_members(apps, schema_editor):
    """Clear the size of each delegation with more members than it, with a history row."""
    Delegation = apps.get_model("delegations", "Delegation")
    History = apps.get_model("delegations", "HistoricalDelegation")
    HistoryLinks = apps.get_model("delegations", "HistoricalDelegation_partners")
    Links = Delegation.partners.through
    broken = list(
        Delegation.objects.annotate(named=Count("members"))
        .filter(size__isnull=False, named__gt=F("size"))
        .order_by("pk")
        .values_list("pk", "size", "named")
    )
    if not broken:
        return
    print(f"\n  Sizes cleared to unknown ({len(broken)}: delegation number, size, members named):")
    for pk, size, named in broken:
        print(f"    #{pk}: {size} < {named}")
    ids = [row[0] for row in broken]
    Delegation.objects.filter(pk__in=ids).update(size=None)
    now = timezone.now()
    fields = [f for f in History._meta.concrete_fields if not f.name.startswith("history_")]
    History.objects.bulk_create(
        History(
            **{f.attname: getattr(d, f.attname) for f in fields},
            history_date=now,
            history_type="~",
            history_change_reason=REASON,
            history_user=None,
        )
        for d in Delegation.objects.filter(pk__in=ids).order_by("pk")
    )
    # The partner links as they stand, with each new historical row (as simple_history records them).
    made = dict(
        History.objects.filter(id__in=ids, history_change_reason=REASON, history_date=now).values_list(
            "id", "history_id"
        )
    )
    HistoryLinks.objects.bulk_create(
        HistoryLinks(id=link_id, delegation_id=delegation_id, partner_id=partner_id, history_id=made[delegation_id])
        for link_id, delegation_id, partner_id in Links.objects.filter(delegation_id__in=ids).values_list(
            "pk", "delegation_id", "partner_id"
        )
    )


def install(apps, schema_editor):
    install_in_migration(schema_editor, members_sql)


def uninstall(apps, schema_editor):
    for sql in members_sql.uninstall_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0014_border_talks_direction"),
    ]

    operations = [
        migrations.RunPython(clear_sizes_below_members, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
