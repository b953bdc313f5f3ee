from django.db import migrations

# On PostgreSQL an answer is written in one statement (quizzes.step_reads.answer_write), which undoes
# itself with this error (serialization_failure) when a point state it was to replace is no longer as
# the request read it; the service then records the answer in a transaction on the states as they are.
FUNCTION = """CREATE FUNCTION answer_changed_since_read() RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RAISE EXCEPTION 'a point state changed since it was read' USING ERRCODE = 'serialization_failure';
END $$"""
DROP = "DROP FUNCTION IF EXISTS answer_changed_since_read()"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0011_pointstate_mastery_covering_index"),
    ]

    operations = [migrations.RunPython(create_function, drop_function)]
