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
