"""A delegation's stage and the fields its steps fill (delegations/stage_fields.py), added in place:
no table rebuild on SQLite (common/migration_ops.py), whose triggers name the table."""

import common.files
import delegations.stage_fields
from django.db import migrations, models

from common.migration_ops import AddCheckInPlace, AddFieldInPlace


class Migration(migrations.Migration):

    dependencies = [
        ('delegations', '0021_list_sort_indexes'),
        ('offices', '0005_officeprofile_report_recipients'),
        ('partners', '0011_list_sort_indexes'),
    ]

    operations = [
        AddFieldInPlace(
            model_name='delegation',
            name='decision_date',
            field=models.DateField(blank=True, null=True, verbose_name='decision date'),
        ),
        AddFieldInPlace(
            model_name='delegation',
            name='decision_file',
            field=models.FileField(blank=True, max_length=200, upload_to=delegations.stage_fields._file_upload, validators=[common.files.validate_pdf], verbose_name='decision (PDF)'),
        ),
        AddFieldInPlace(
            model_name='delegation',
            name='decision_signer',
            field=models.CharField(blank=True, max_length=200, verbose_name='decision signed by'),
        ),
        AddFieldInPlace(
            model_name='delegation',
            name='reception_plan',
            field=models.TextField(blank=True, verbose_name='reception plan'),
        ),
        AddFieldInPlace(
            model_name='delegation',
            name='reception_plan_file',
            field=models.FileField(blank=True, max_length=200, upload_to=delegations.stage_fields._file_upload, validators=[common.files.validate_pdf], verbose_name='reception plan (PDF)'),
        ),
        AddFieldInPlace(
            model_name='delegation',
            name='report_file',
            field=models.FileField(blank=True, max_length=200, upload_to=delegations.stage_fields._file_upload, validators=[common.files.validate_pdf], verbose_name='result report (PDF)'),
        ),
        AddFieldInPlace(
            model_name='delegation',
            name='report_received_on',
            field=models.DateField(blank=True, null=True, verbose_name='result report received on'),
        ),
        AddFieldInPlace(
            model_name='delegation',
            name='report_summary',
            field=models.TextField(blank=True, verbose_name='summary of the result report'),
        ),
        AddFieldInPlace(
            model_name='delegation',
            name='returned_on',
            field=models.DateField(blank=True, null=True, verbose_name='returned on'),
        ),
        AddFieldInPlace(
            model_name='delegation',
            name='stage',
            field=models.CharField(choices=[('proposed', 'Proposed'), ('in_plan', 'In the annual plan'), ('decided', 'Decided'), ('under_way', 'Under way'), ('returned', 'Returned'), ('report_received', 'Result report received'), ('requested', 'Requested'), ('agreed', 'Agreed'), ('received', 'Received'), ('closed', 'Closed'), ('cancelled', 'Cancelled'), ('postponed', 'Postponed')], default='closed', help_text='Where the trip stands. A trip already over (entered from an article or a report) is closed; a trip still to come starts as proposed (outbound) or requested (inbound).', max_length=16, verbose_name='stage'),
        ),
        AddFieldInPlace(
            model_name='delegation',
            name='stage_changed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='stage changed at'),
        ),
        AddFieldInPlace(
            model_name='delegation',
            name='stage_reason',
            field=models.TextField(blank=True, help_text='Required when cancelled or postponed.', verbose_name='reason for cancelling or postponing'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='decision_date',
            field=models.DateField(blank=True, null=True, verbose_name='decision date'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='decision_file',
            field=models.TextField(blank=True, max_length=200, validators=[common.files.validate_pdf], verbose_name='decision (PDF)'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='decision_signer',
            field=models.CharField(blank=True, max_length=200, verbose_name='decision signed by'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='reception_plan',
            field=models.TextField(blank=True, verbose_name='reception plan'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='reception_plan_file',
            field=models.TextField(blank=True, max_length=200, validators=[common.files.validate_pdf], verbose_name='reception plan (PDF)'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='report_file',
            field=models.TextField(blank=True, max_length=200, validators=[common.files.validate_pdf], verbose_name='result report (PDF)'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='report_received_on',
            field=models.DateField(blank=True, null=True, verbose_name='result report received on'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='report_summary',
            field=models.TextField(blank=True, verbose_name='summary of the result report'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='returned_on',
            field=models.DateField(blank=True, null=True, verbose_name='returned on'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='stage',
            field=models.CharField(choices=[('proposed', 'Proposed'), ('in_plan', 'In the annual plan'), ('decided', 'Decided'), ('under_way', 'Under way'), ('returned', 'Returned'), ('report_received', 'Result report received'), ('requested', 'Requested'), ('agreed', 'Agreed'), ('received', 'Received'), ('closed', 'Closed'), ('cancelled', 'Cancelled'), ('postponed', 'Postponed')], default='closed', help_text='Where the trip stands. A trip already over (entered from an article or a report) is closed; a trip still to come starts as proposed (outbound) or requested (inbound).', max_length=16, verbose_name='stage'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='stage_changed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='stage changed at'),
        ),
        AddFieldInPlace(
            model_name='historicaldelegation',
            name='stage_reason',
            field=models.TextField(blank=True, help_text='Required when cancelled or postponed.', verbose_name='reason for cancelling or postponing'),
        ),
        migrations.AddIndex(
            model_name='delegation',
            index=models.Index(condition=models.Q(('stage', 'returned')), fields=['province', 'returned_on'], name='delegation_awaited_idx'),
        ),
        AddCheckInPlace(
            model_name='delegation',
            constraint=models.CheckConstraint(condition=models.Q(('stage__in', ['proposed', 'in_plan', 'decided', 'under_way', 'returned', 'report_received', 'requested', 'agreed', 'received', 'closed', 'cancelled', 'postponed'])), name='delegation_stage_valid'),
        ),
        AddCheckInPlace(
            model_name='delegation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('stage__in', ('proposed', 'in_plan', 'decided', 'under_way', 'returned', 'report_received')), _negated=True), ('direction', 'out'), _connector='OR'), name='delegation_stage_outbound_only', violation_error_message='This stage is for outbound delegations only.'),
        ),
        AddCheckInPlace(
            model_name='delegation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('stage__in', ('requested', 'agreed', 'received')), _negated=True), models.Q(('direction', 'out'), _negated=True), _connector='OR'), name='delegation_stage_inbound_only', violation_error_message='This stage is for inbound delegations only.'),
        ),
        AddCheckInPlace(
            model_name='delegation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('stage__in', ('cancelled', 'postponed')), _negated=True), models.Q(('stage_reason', ''), _negated=True), _connector='OR'), name='delegation_stopped_has_reason', violation_error_message='Give the reason for cancelling or postponing.'),
        ),
        AddCheckInPlace(
            model_name='delegation',
            constraint=models.CheckConstraint(condition=models.Q(('returned_on__isnull', True), models.Q(('start_date__isnull', False), ('returned_on__gte', models.F('start_date'))), _connector='OR'), name='delegation_return_not_before_start', violation_error_message='The return date cannot be before the departure (the start date).'),
        ),
        AddCheckInPlace(
            model_name='delegation',
            constraint=models.CheckConstraint(condition=models.Q(('decision_date__isnull', True), ('start_date__isnull', True), models.Q(('date_precision', 'day'), _negated=True), ('decision_date__lte', models.F('start_date')), _connector='OR'), name='delegation_decision_not_after_start', violation_error_message='The sending decision cannot be dated after the departure (the start date).'),
        ),
        AddCheckInPlace(
            model_name='delegation',
            constraint=models.CheckConstraint(condition=models.Q(('report_received_on__isnull', True), models.Q(('returned_on__isnull', False), ('report_received_on__gte', models.F('returned_on'))), _connector='OR'), name='delegation_report_not_before_return', violation_error_message='The result report cannot be received before the return.'),
        ),
        AddCheckInPlace(
            model_name='delegation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('stage__in', ['returned', 'report_received']), _negated=True), ('returned_on__isnull', False), _connector='OR'), name='delegation_returned_has_date', violation_error_message='Enter the date the delegation returned.'),
        ),
        AddCheckInPlace(
            model_name='delegation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('stage', 'report_received'), _negated=True), ('report_received_on__isnull', False), _connector='OR'), name='delegation_report_has_date', violation_error_message='Enter the date the result report was received.'),
        ),
    ]
