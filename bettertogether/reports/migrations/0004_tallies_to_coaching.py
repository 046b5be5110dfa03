"""The tallies now belong to the coaching app (its migration 0004 takes them over, tables and
rows as they are); here they leave the reports app's state, and nothing in the database
changes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_covering_indexes'),
        ('coaching', '0004_tallies_from_reports'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name=name)
            for name in ('CoachWeek', 'KindWeek', 'PairReach', 'PairTerm', 'WeekTally')
        ]),
    ]
