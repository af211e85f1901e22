"""Revisions, the workflow log, review comments and presence move to `editorial`.

State only: the models keep their tables (`briefs_briefrevision` … via
`Meta.db_table`), so no data moves. `briefs.0007_move_editorial_models`
removes them from briefs' state once they exist here, and
`editorial.0002_content_types` relabels their content types.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("briefs", "0006_public_site_pages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReviewComment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('body', models.TextField()),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('brief', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='review_comments', to='briefs.brief')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'briefs_reviewcomment',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='BriefRevision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('edit', 'Edit'), ('restore', 'Restore'), ('publication', 'Correction published'), ('conflict', 'Conflicting edit, not applied')], default='edit', max_length=12)),
                        ('content', models.JSONField()),
                        ('comment', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('brief', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='briefs.brief')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'briefs_briefrevision',
                        'ordering': ['-id'],
                        'indexes': [models.Index(fields=['brief', '-id'], name='briefrevision_latest')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['edit', 'restore', 'publication', 'conflict'])), name='briefrevision_kind_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='BriefTransition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(max_length=20)),
                        ('from_status', models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('changes_requested', 'Changes requested'), ('approved', 'Approved'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], max_length=20)),
                        ('to_status', models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('changes_requested', 'Changes requested'), ('approved', 'Approved'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], max_length=20)),
                        ('comment', models.TextField(blank=True)),
                        ('checks', models.JSONField(blank=True, default=list)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('brief', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='briefs.brief')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'workflow log entry',
                        'verbose_name_plural': 'workflow log',
                        'db_table': 'briefs_brieftransition',
                        'ordering': ['created_at', 'id'],
                        'indexes': [models.Index(fields=['brief', 'created_at'], name='brieftransition_brief')],
                    },
                ),
                migrations.CreateModel(
                    name='EditPresence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('started_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('last_seen', models.DateTimeField(default=django.utils.timezone.now)),
                        ('brief', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='briefs.brief')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'briefs_editpresence',
                        'constraints': [models.UniqueConstraint(fields=('brief', 'user'), name='editpresence_unique_user')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
