"""Delete the queue's rows of the old sign-in email task.

Until this release the accounts app queued `send_email(to, subject, text, html)` with the
whole rendered email, so each row of the task queue (readable in the support admin) held
a live invitation or password-reset link. Emails are now queued by id and rendered in the
worker; every row of the old task goes, whatever its state. One still waiting to be sent
is lost with it: the person asks for a new password-reset email, or the admin resends the
invitation.
"""

from django.db import migrations

OLD_EMAIL_TASK = "bettertogether.accounts.tasks.send_email"


def purge_email_task_results(apps, schema_editor):
    task_results = apps.get_model("django_tasks_database", "DBTaskResult")
    task_results.objects.filter(task_path=OLD_EMAIL_TASK).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_invitation_link_made_when_sent"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(purge_email_task_results, migrations.RunPython.noop),
    ]
