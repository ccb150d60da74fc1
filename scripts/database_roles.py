"""Create the project's two PostgreSQL roles on a local server (scripts/services.sh runs this).

    python scripts/database_roles.py SUPERUSER_URL OWNER_ROLE APP_ROLE

The owner role (LOGIN CREATEDB: test and bench databases) owns the database of SUPERUSER_URL, which is
created if missing; the app role (LOGIN only) owns nothing: the migrations grant it what it may do
(core.database). Databases this project made earlier as the superuser (the URL's database, test_*,
portal_*) are handed to the owner role, with their schemas, tables and functions, so that migrations,
test runs and benches that connect as the owner can change and drop them. Safe to run again.
"""

import sys
import urllib.parse

import psycopg
from psycopg import sql

SYSTEM_SCHEMAS = "n.nspname NOT LIKE 'pg\\_%%' AND n.nspname <> 'information_schema'"
# Objects of an extension, and sequences and indexes that follow their table, are left to follow.
NOT_FROM_EXTENSIONS = (
    "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype IN ('e', 'a', 'i'))"
)
OWNED_OBJECTS = f"""
SELECT format('ALTER SCHEMA %I OWNER TO %I', n.nspname, %(owner)s) FROM pg_namespace n
 WHERE {SYSTEM_SCHEMAS} AND pg_get_userbyid(n.nspowner) <> %(owner)s
   AND {NOT_FROM_EXTENSIONS.format(oid="n.oid")}
UNION ALL
SELECT format('ALTER TABLE %s OWNER TO %I', c.oid::regclass, %(owner)s)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE {SYSTEM_SCHEMAS} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
   AND pg_get_userbyid(c.relowner) <> %(owner)s AND {NOT_FROM_EXTENSIONS.format(oid="c.oid")}
UNION ALL
SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, %(owner)s)
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE {SYSTEM_SCHEMAS} AND pg_get_userbyid(p.proowner) <> %(owner)s
   AND {NOT_FROM_EXTENSIONS.format(oid="p.oid")}
"""  # noqa: S608 (constants only; the role is a parameter)


def connect(url: str, dbname: str) -> psycopg.Connection:
    p = urllib.parse.urlsplit(url)
    return psycopg.connect(
        host=p.hostname,
        port=p.port or 5432,
        user=p.username or "postgres",
        password=p.password,
        dbname=dbname,
        autocommit=True,
    )


def main(superuser_url: str, owner: str, app: str) -> None:
    name = urllib.parse.urlsplit(superuser_url).path.lstrip("/")
    with connect(superuser_url, "postgres") as conn:
        for role, options in ((owner, "LOGIN CREATEDB"), (app, "LOGIN")):
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                conn.execute(sql.SQL("CREATE ROLE {} " + options).format(sql.Identifier(role)))
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(owner))
            )
        earlier = conn.execute(
            "SELECT datname FROM pg_database WHERE NOT datistemplate AND pg_get_userbyid(datdba) <> %s"
            " AND (datname = %s OR datname LIKE 'test\\_%%' OR datname LIKE 'portal\\_%%')",
            [owner, name],
        ).fetchall()
        for (database,) in earlier:
            conn.execute(
                sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                    sql.Identifier(database), sql.Identifier(owner)
                )
            )
    for (database,) in earlier:
        with connect(superuser_url, database) as conn:
            for (statement,) in conn.execute(OWNED_OBJECTS, {"owner": owner}).fetchall():
                conn.execute(statement)


if __name__ == "__main__":
    main(*sys.argv[1:4])
