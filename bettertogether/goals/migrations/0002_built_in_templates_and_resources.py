from django.db import migrations


def install(apps, schema_editor):
    from bettertogether.goals.starter import install as install_starter

    install_starter(apps)


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
