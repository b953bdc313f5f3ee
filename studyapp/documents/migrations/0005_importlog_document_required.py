# Separate from 0004: on PostgreSQL a column cannot be altered in the transaction that filled it
# (its deferred foreign-key checks are still pending).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0004_importlog_outlives_versions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='importlog',
            name='document',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='log', to='documents.document', verbose_name='文件'),
        ),
    ]
