from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):
    """A change of a network's time zone or terms waiting for the task worker to recount
    the tallies; the reports say so while one is pending."""

    dependencies = [
        ('coaching', '0005_pair_reach_whole_span'),
        ('directory', '0005_min_student_group'),
    ]

    operations = [
        migrations.CreateModel(
            name='TallyRecount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('part', models.CharField(choices=[('everything', 'Every tally'), ('pair_terms', 'Contacts by term')], max_length=12)),
                ('first_day', models.DateField(blank=True, null=True)),
                ('after_day', models.DateField(blank=True, null=True)),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('done_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('network', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='directory.organisation')),
            ],
            options={
                'indexes': [models.Index(fields=['network', 'done_at'], name='tally_recount_pending')],
            },
        ),
    ]
