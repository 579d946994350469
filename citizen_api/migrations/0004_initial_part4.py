from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from citizen_api.appointments.codes import new_check_in_code
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_initial_part3')]

    operations = [
        ops.CreateModel(
            name='LotteryEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('draw', fields.ForeignKeyField('models.LotteryDraw', source_field='draw_id', db_constraint=True, to_field='id', related_name='registrations', on_delete=OnDelete.RESTRICT)),
                ('user_id', fields.IntField(db_index=True)),
                ('person', fields.CharField(max_length=64)),
                ('item_id', fields.IntField()),
                ('item_code', fields.CharField(max_length=64)),
                ('waitlist', fields.BooleanField(default=False)),
                ('status', fields.CharField(default='registered', max_length=12)),
                ('appointment_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'appt_lottery_entries', 'app': 'models', 'unique_together': (('draw', 'person'),), 'pk_attr': 'id', 'table_description': "One person's registration for a draw: unique per (draw, person) — the ID number's blind"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='QueueTicket',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('models.WindowGroup', source_field='group_id', db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.RESTRICT)),
                ('date', fields.DateField()),
                ('kind', fields.CharField(max_length=8)),
                ('seq', fields.IntField()),
                ('number', fields.CharField(max_length=16)),
                ('appointment_id', fields.IntField(null=True, unique=True)),
                ('status', fields.CharField(default='waiting', max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('called_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('called_by', fields.IntField(null=True)),
                ('window', fields.CharField(default='', max_length=16)),
            ],
            options={'table': 'appt_queue_tickets', 'app': 'models', 'unique_together': (('group', 'date', 'number'),), 'indexes': [Index(fields=['date', 'called_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReleaseRule',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('models.WindowGroup', source_field='group_id', db_constraint=True, to_field='id', related_name='release_rules', on_delete=OnDelete.CASCADE)),
                ('item', fields.ForeignKeyField('models.ServiceItem', source_field='item_id', null=True, db_constraint=True, to_field='id', related_name='release_rules', on_delete=OnDelete.CASCADE)),
                ('days_before', fields.SmallIntField()),
                ('at', fields.CharField(max_length=5)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'appt_release_rules', 'app': 'models', 'unique_together': (('group', 'item'),), 'pk_attr': 'id', 'table_description': 'When the places of a day are released (放号): ``days_before`` days ahead at ``at`` (local HH:MM).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ScheduleTemplate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('models.WindowGroup', source_field='group_id', db_constraint=True, to_field='id', related_name='templates', on_delete=OnDelete.CASCADE)),
                ('day', fields.CharField(max_length=16)),
                ('periods', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'appt_schedule_templates', 'app': 'models', 'unique_together': (('group', 'day'),), 'pk_attr': 'id', 'table_description': 'Opening periods of a group for one weekday (mon … sun) or for holiday-service days.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Slot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('models.WindowGroup', source_field='group_id', db_constraint=True, to_field='id', related_name='slots', on_delete=OnDelete.RESTRICT)),
                ('date', fields.DateField(db_index=True)),
                ('mode', fields.CharField(max_length=16)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('capacity', fields.IntField()),
                ('booked', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'appt_slots', 'app': 'models', 'unique_together': (('group', 'date', 'mode', 'starts_at'),), 'pk_attr': 'id', 'table_description': 'A bookable time of one group on one date, made from a template (idempotently).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Appointment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='appointments', on_delete=OnDelete.RESTRICT)),
                ('item', fields.ForeignKeyField('models.ServiceItem', source_field='item_id', db_constraint=True, to_field='id', related_name='appointments', on_delete=OnDelete.RESTRICT)),
                ('slot', fields.ForeignKeyField('models.Slot', source_field='slot_id', db_constraint=True, to_field='id', related_name='appointments', on_delete=OnDelete.RESTRICT)),
                ('date', fields.DateField()),
                ('starts_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='booked', db_index=True, max_length=16)),
                ('active_key', fields.CharField(null=True, unique=True, max_length=64)),
                ('source', fields.CharField(default='direct', max_length=16)),
                ('queue_number', fields.CharField(null=True, max_length=16)),
                ('check_in_code', fields.CharField(default=new_check_in_code, unique=True, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('checked_in_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('no_show_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('handled_by', fields.IntField(null=True)),
                ('filed_by', fields.CharField(default='self', max_length=16)),
                ('actor_id', fields.IntField(null=True, db_index=True)),
                ('authorisation_id', fields.IntField(null=True)),
            ],
            options={'table': 'appt_appointments', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WaitlistEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slot', fields.ForeignKeyField('models.Slot', source_field='slot_id', db_constraint=True, to_field='id', related_name='waiters', on_delete=OnDelete.RESTRICT)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='waits', on_delete=OnDelete.RESTRICT)),
                ('item', fields.ForeignKeyField('models.ServiceItem', source_field='item_id', db_constraint=True, to_field='id', related_name='waits', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharField(default='waiting', max_length=16)),
                ('active_key', fields.CharField(null=True, unique=True, max_length=32)),
                ('appointment_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'appt_waitlist', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Window',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('models.WindowGroup', source_field='group_id', db_constraint=True, to_field='id', related_name='windows', on_delete=OnDelete.CASCADE)),
                ('number', fields.CharField(max_length=16)),
                ('name', fields.CharField(default='', max_length=64)),
                ('opens_on_holiday_service', fields.BooleanField(default=False)),
            ],
            options={'table': 'appt_windows', 'app': 'models', 'unique_together': (('group', 'number'),), 'pk_attr': 'id', 'table_description': 'One counter (窗口) of a group.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LateService',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('window', fields.ForeignKeyField('models.Window', source_field='window_id', db_constraint=True, to_field='id', related_name='late_services', on_delete=OnDelete.CASCADE)),
                ('date', fields.DateField()),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('started_by', fields.IntField()),
                ('automatic', fields.BooleanField(default=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ended_by', fields.IntField(null=True)),
            ],
            options={'table': 'appt_late_services', 'app': 'models', 'unique_together': (('window', 'date'),), 'pk_attr': 'id', 'table_description': "延时服务: a window serving past the hall's closing time, for the citizens still waiting."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StaffWindow',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(unique=True)),
                ('window', fields.ForeignKeyField('models.Window', source_field='window_id', db_constraint=True, to_field='id', related_name='desks', on_delete=OnDelete.CASCADE)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'appt_staff_windows', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The counter a staff account works at (its desk): set by an admin, one window per account.'},
            bases=['Model'],
        ),
    ]
