# The import log outlives the versions: an entry keeps its document and the version's number, and
# loses only the link when the version is deleted (it cascaded, taking delete entries with it).

import django.db.models.deletion
from django.db import migrations, models


def fill_document_and_number(apps, schema_editor):
    """Every entry's document and version number; a delete entry, logged on the version that was
    active then, is about the deleted one (counts["version"]) and keeps no link."""
    ImportLog = apps.get_model("documents", "ImportLog")
    for entry in ImportLog.objects.select_related("version").iterator():
        entry.document_id = entry.version.document_id
        if entry.action == "delete":
            entry.version_number = int(entry.counts.get("version") or 0)
            entry.version = None
        else:
            entry.version_number = entry.version.number
        entry.save(update_fields=["document", "version_number", "version"])


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0003_version_line_count_delete_action'),
    ]

    operations = [
        migrations.AddField(
            model_name='importlog',
            name='document',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='log', to='documents.document', verbose_name='文件'),
        ),
        migrations.AddField(
            model_name='importlog',
            name='version_number',
            field=models.PositiveIntegerField(default=0, verbose_name='版本号'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='importlog',
            name='version',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='log', to='documents.documentversion', verbose_name='版本'),
        ),
        migrations.RunPython(fill_document_and_number, migrations.RunPython.noop),
    ]
