"""One-shot schema migration, run by the `migrate` service before the API starts."""

from pathlib import Path

import psycopg

from app import settings

MIGRATIONS = Path(__file__).with_name("migrations")


def main() -> None:
    with psycopg.connect(settings.database_dsn()) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY)")
        done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
        for script in sorted(MIGRATIONS.glob("*.sql")):
            if script.name not in done:
                conn.execute(script.read_text(encoding="utf-8"))
                conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (script.name,))


if __name__ == "__main__":
    main()
