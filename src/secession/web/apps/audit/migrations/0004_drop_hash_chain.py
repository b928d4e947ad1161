# ruff: noqa: RUF012
"""The old chain's columns go: its head hash lives on in the audit.migrated entry."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_to_merkle")]

    operations = [
        migrations.RemoveField(model_name="auditentry", name="prev_hash"),
        migrations.RemoveField(model_name="auditentry", name="hash"),
        migrations.AlterField(
            model_name="auditentry",
            name="leaf_hash",
            field=models.CharField(max_length=64),
        ),
    ]
