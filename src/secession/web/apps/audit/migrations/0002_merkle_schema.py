# ruff: noqa: RUF012
"""The Merkle tree's columns and tables, next to the old hash chain (filled by 0003)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="salt",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="leaf_hash",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="community_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["community_id", "seq"], name="audit_community_seq"),
        ),
        migrations.CreateModel(
            name="AuditNode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("level", models.PositiveSmallIntegerField()),
                ("index", models.PositiveBigIntegerField()),
                ("hash", models.CharField(max_length=64)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("level", "index"), name="audit_node_once")
                ],
            },
        ),
        migrations.RenameField(model_name="audithead", old_name="seq", new_name="size"),
        migrations.RenameField(model_name="audithead", old_name="hash", new_name="root"),
        migrations.AlterField(
            model_name="audithead",
            name="root",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.AddField(
            model_name="audithead",
            name="frontier",
            field=models.TextField(blank=True, default=""),
        ),
    ]
