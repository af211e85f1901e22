"""ApiKey moves from `archive` to `kernel`: state only, the table stays.

The model keeps its table (`archive_apikey`, see `Meta.db_table`), so the
database is not touched: `archive.0002_move_apikey_to_kernel` removes the
model from archive's state once this migration has added it here.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("archive", "0001_api_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiKey",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(help_text="Who the key is for, e.g. the partner's name.", max_length=200)),
                        ("contact", models.CharField(blank=True, help_text="Whom to tell when the key changes.", max_length=200)),
                        ("prefix", models.CharField(editable=False, max_length=8)),
                        ("key_hash", models.CharField(editable=False, max_length=64, verbose_name="SHA-256 of the key")),
                        ("revoked_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("last_used_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("request_count", models.PositiveBigIntegerField(default=0, editable=False)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("created_by", models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "archive_apikey",
                        "verbose_name": "API key",
                        "ordering": ["name", "created_at"],
                        "constraints": [
                            models.UniqueConstraint(fields=("prefix",), name="apikey_unique_prefix"),
                            models.UniqueConstraint(fields=("key_hash",), name="apikey_unique_hash"),
                            models.CheckConstraint(condition=models.Q(("prefix__regex", "^[0-9a-f]{8}$")), name="apikey_prefix_hex"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
