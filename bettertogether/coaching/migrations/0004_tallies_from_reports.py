"""The tallies of the log move from the reports app to the coaching app, in Django's state
only: the tables keep their names (`reports_weektally`, …) and their rows, so nothing is
copied. The services that write the log now recount them directly (no signal), which the
coaching app could not do while the models belonged to the reports, the app above it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FK = django.db.models.deletion.CASCADE


def _fk(to, **options):
    return models.ForeignKey(on_delete=FK, related_name='+', to=to, **options)


def _id():
    return models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                               verbose_name='ID')


STATE = [
    migrations.CreateModel(
        name='CoachWeek',
        fields=[
            ('id', _id()),
            ('is_contact', models.BooleanField()),
            ('week', models.DateField()),
            ('interactions', models.PositiveIntegerField()),
            ('minutes', models.PositiveIntegerField()),
            ('teacher_contacts', models.PositiveIntegerField()),
            ('coach', _fk(settings.AUTH_USER_MODEL)),
            ('network', _fk('directory.organisation')),
            ('school', _fk('directory.organisation', null=True)),
        ],
        options={
            'db_table': 'reports_coachweek',
            'indexes': [models.Index(fields=['network', 'week'], name='coach_week_network'),
                        models.Index(fields=['school', 'week'], name='coach_week_school'),
                        models.Index(fields=['coach', 'week'], name='coach_week_coach')],
        },
    ),
    migrations.CreateModel(
        name='KindWeek',
        fields=[
            ('id', _id()),
            ('is_contact', models.BooleanField()),
            ('week', models.DateField()),
            ('interactions', models.PositiveIntegerField()),
            ('minutes', models.PositiveIntegerField()),
            ('teacher_contacts', models.PositiveIntegerField()),
            ('kind', _fk('coaching.supportkind')),
            ('network', _fk('directory.organisation')),
        ],
        options={
            'db_table': 'reports_kindweek',
            'indexes': [models.Index(fields=['network', 'week'], name='kind_week_network')],
        },
    ),
    migrations.CreateModel(
        name='PairReach',
        fields=[
            ('id', _id()),
            ('months_0', models.BigIntegerField(default=0)),
            ('months_1', models.BigIntegerField(default=0)),
            ('months_2', models.BigIntegerField(default=0)),
            ('coach', _fk(settings.AUTH_USER_MODEL)),
            ('network', _fk('directory.organisation')),
            ('school', _fk('directory.organisation', null=True)),
            ('teacher', _fk(settings.AUTH_USER_MODEL)),
        ],
        options={
            'db_table': 'reports_pairreach',
            'indexes': [models.Index(fields=['network'], name='pair_reach_network'),
                        models.Index(fields=['school'], name='pair_reach_school'),
                        models.Index(fields=['coach', 'teacher'], name='pair_reach_pair')],
        },
    ),
    migrations.CreateModel(
        name='PairTerm',
        fields=[
            ('id', _id()),
            ('bucket', models.DateField()),
            ('contacts', models.PositiveIntegerField()),
            ('minutes', models.PositiveIntegerField()),
            ('first_at', models.DateTimeField()),
            ('last_at', models.DateTimeField()),
            ('coach', _fk(settings.AUTH_USER_MODEL)),
            ('network', _fk('directory.organisation')),
            ('school', _fk('directory.organisation', null=True)),
            ('teacher', _fk(settings.AUTH_USER_MODEL)),
        ],
        options={
            'db_table': 'reports_pairterm',
            'indexes': [models.Index(fields=['network', 'bucket'], name='pair_term_network'),
                        models.Index(fields=['school', 'bucket'], name='pair_term_school'),
                        models.Index(fields=['coach', 'teacher', 'bucket'],
                                     name='pair_term_pair')],
        },
    ),
    migrations.CreateModel(
        name='WeekTally',
        fields=[
            ('id', _id()),
            ('is_contact', models.BooleanField()),
            ('week', models.DateField()),
            ('interactions', models.PositiveIntegerField()),
            ('minutes', models.PositiveIntegerField()),
            ('teacher_contacts', models.PositiveIntegerField()),
            ('coach', _fk(settings.AUTH_USER_MODEL)),
            ('kind', _fk('coaching.supportkind')),
            ('network', _fk('directory.organisation')),
            ('school', _fk('directory.organisation', null=True)),
        ],
        options={
            'db_table': 'reports_weektally',
            'indexes': [models.Index(fields=['network', 'week'], name='week_tally_network'),
                        models.Index(fields=['school', 'week'], name='week_tally_school'),
                        models.Index(fields=['coach', 'week'], name='week_tally_coach')],
        },
    ),
]


class Migration(migrations.Migration):

    dependencies = [
        ('coaching', '0003_relationship_rules'),
        ('directory', '0005_min_student_group'),
        ('reports', '0003_covering_indexes'),  # the tables exist
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE)]
