"""Each delegation's stage from its status (delegations/stage_fields.py ``stage_for_status``): a completed
trip is closed, so the thousands of historical records never ask for a result report; a planned one is
proposed (outbound) or requested (the others); an approved one decided or agreed; a cancelled one
cancelled, with a reason saying where it came from (the stage needs one). Set in one UPDATE per group."""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext


def stage_from_status(apps, schema_editor):
    Delegation = apps.get_model("delegations", "Delegation")
    outbound = Delegation.objects.filter(direction="out")
    others = Delegation.objects.exclude(direction="out")
    outbound.filter(status="planned").update(stage="proposed")
    others.filter(status="planned").update(stage="requested")
    outbound.filter(status="approved").update(stage="decided")
    others.filter(status="approved").update(stage="agreed")
    with translation.override(settings.LANGUAGE_CODE):
        reason = gettext("Recorded as cancelled in the status.")
    Delegation.objects.filter(status="cancelled").update(stage="cancelled", stage_reason=reason)


def status_only(apps, schema_editor):
    """Going back: the stage's columns are dropped by the migration before this one."""


class Migration(migrations.Migration):
    dependencies = [("delegations", "0022_stages")]

    operations = [migrations.RunPython(stage_from_status, status_only)]
