/* One connection and one transaction per database file, shared by every
 * sqlite sink of the run that writes to that file (the rejects sink too).
 *
 * Why: the key-highlights pipeline writes six tables into one file.  Each
 * sink holding its own connection would need its own write transaction,
 * and SQLite allows one writer per file: the second BEGIN IMMEDIATE would
 * wait for the first to commit, which only happens at the end of the run,
 * so the run would deadlock (or, with separate commits, publish some
 * tables and not others).  Sharing one connection gives one transaction:
 * every sink joins it in open(), and it is committed by the last member to
 * commit, so either all tables of the file are published or none. */
#ifndef HZ_SQLITE_DB_H
#define HZ_SQLITE_DB_H
#include <sqlite3.h>
#include <stdbool.h>

#include <harmonize/plugin.h>

typedef struct sqlite_db sqlite_db;

/* What one sink will write, declared in plan() so that the first sink to
 * open a file knows every table the run writes there.  Kept in the sink
 * (nothing is allocated); withdrawn in destroy(). */
typedef struct sqlite_decl {
    const char *path, *table;
    bool replace;
    struct sqlite_decl *next;
} sqlite_decl;

void sqlite_db_declare(sqlite_decl *decl);
void sqlite_db_withdraw(sqlite_decl *decl);

/* Join the run's transaction on the database at `path` (its folder must
 * exist; the file is created if missing).  The first member opens the
 * connection and starts the transaction, in one of two ways:
 *
 *   staged    when the run rewrites the file whole (it is new, or every
 *             table in it is one this run replaces) and the core keeps a
 *             journal: a new database file is built under a temporary name
 *             (hz->stage_file) and renamed over the old one at commit, like
 *             a CSV file, so the file joins the run's all-or-nothing
 *             publication even across a kill -9;
 *   in place  otherwise (an append, tables this run does not write, a file
 *             in WAL mode): BEGIN IMMEDIATE on the file itself, committed
 *             at commit: atomic for this file, but committed on its own.
 *
 * NULL after reporting. */
sqlite_db *sqlite_db_join(hz_component *c, const char *path);

sqlite3 *sqlite_db_handle(const sqlite_db *d);

/* The canonical spelling of a database path (the real path of its folder
 * plus the file name), or NULL if the folder does not exist (yet). */
char *sqlite_db_canonical(const char *path);

/* Run one statement; 0, or -1 after reporting sqlite's message. */
int sqlite_db_exec(hz_component *c, sqlite_db *d, const char *sql);

/* Report sqlite's last message on this connection, with `what` failed. */
void sqlite_db_report(hz_component *c, sqlite_db *d, const char *what);

/* A member has prepared; once every member has, a staged file's
 * transaction is committed and the file made durable (fsync), all before
 * the commit point.  0, or -1 after reporting. */
int sqlite_db_prepare(hz_component *c, sqlite_db *d);

/* Every member of the run has prepared: the first member to commit runs
 * the file's COMMIT (in place) or rename (staged), the others share its
 * outcome.  0, or -1 after
 * reporting. */
int sqlite_db_commit(hz_component *c, sqlite_db *d);

/* The run failed: roll the transaction back (once, whichever member asks
 * first), leaving every table of the file as it was; a database file that
 * this run created is removed. */
void sqlite_db_abort(sqlite_db *d);

/* The member is gone (destroy): the last one closes the connection. */
void sqlite_db_leave(sqlite_db *d);
#endif
