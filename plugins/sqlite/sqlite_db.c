/* Shared connections, one per database file (see sqlite_db.h).  Static
 * state is per process, which is what a run is. */
#define _XOPEN_SOURCE 700
#include "sqlite_db.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <support/hzs_buf.h>
#include <support/hzs_fs.h>

/* How long to wait for another process's write lock on the file (the
 * message in sqlite_db_exec says 10 s). */
#define BUSY_TIMEOUT_MS 10000

struct sqlite_db {
    char *key; /* the file's canonical path */
    sqlite3 *db;
    int refs;      /* members not yet gone */
    int members;   /* members that joined the transaction */
    int committed; /* members that asked to commit */
    bool commit_failed;
    bool in_tx; /* BEGIN done, neither COMMIT nor ROLLBACK yet */
    bool rolled_back;
    bool created; /* the file did not exist before this run */
    struct sqlite_db *next;
};

static sqlite_db *open_dbs;

/* realpath() of the folder plus the file name: the same file reached by
 * two spellings (./out/x.db, out/../out/x.db, a symlinked folder) is one
 * database. */
char *sqlite_db_canonical(const char *path) {
    char *dir = hzs_dirname(path);
    char *real = realpath(dir, NULL);
    free(dir);
    if (!real) return NULL;
    const char *slash = strrchr(path, '/');
    hzs_buf key = {0};
    hzs_buf_printf(&key, "%s/%s", real, slash ? slash + 1 : path);
    free(real);
    return hzs_buf_take(&key);
}

sqlite3 *sqlite_db_handle(const sqlite_db *d) {
    return d->db;
}

void sqlite_db_report(hz_component *c, sqlite_db *d, const char *what) {
    hz->error(c, "%s: %s: %s", d->key, what, sqlite3_errmsg(d->db));
}

int sqlite_db_exec(hz_component *c, sqlite_db *d, const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(d->db, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
    int code = sqlite3_errcode(d->db) & 0xff;
    hz->error(c, "%s: %s (in: %.200s)%s", d->key, msg ? msg : sqlite3_errmsg(d->db), sql,
              code == SQLITE_BUSY ? ": another process is writing to this file (waited 10 s)" : "");
    sqlite3_free(msg);
    return -1;
}

static void unlink_db(sqlite_db *d) {
    const char *suffixes[] = {"", "-journal", "-wal", "-shm"};
    hzs_buf name = {0};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        hzs_buf_clear(&name);
        hzs_buf_printf(&name, "%s%s", d->key, suffixes[i]);
        unlink(hzs_buf_str(&name));
    }
    hzs_buf_free(&name);
}

static void close_db(sqlite_db *d) {
    sqlite_db **p = &open_dbs;
    while (*p && *p != d) p = &(*p)->next;
    if (*p) *p = d->next;
    sqlite3_close(d->db);
    free(d->key);
    free(d);
}

static sqlite_db *open_db(hz_component *c, const char *path, char *key) {
    sqlite_db *d = hz->xcalloc(1, sizeof *d);
    d->key = key;
    struct stat st;
    d->created = stat(key, &st) != 0 && errno == ENOENT;
    int rc = sqlite3_open_v2(key, &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        hz->error(c, "cannot open %s: %s", path, d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc));
        close_db(d);
        return NULL;
    }
    sqlite3_extended_result_codes(d->db, 1);
    sqlite3_busy_timeout(d->db, BUSY_TIMEOUT_MS);
    /* IMMEDIATE: take the write lock now, so that another writer makes
     * this run wait (then fail) before any row is read. */
    if (sqlite_db_exec(c, d, "BEGIN IMMEDIATE") != 0) {
        if (d->created) unlink_db(d);
        close_db(d);
        return NULL;
    }
    d->in_tx = true;
    d->next = open_dbs;
    open_dbs = d;
    return d;
}

sqlite_db *sqlite_db_join(hz_component *c, const char *path) {
    char *key = sqlite_db_canonical(path);
    if (!key) {
        hz->error(c, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    sqlite_db *d = open_dbs;
    while (d && strcmp(d->key, key) != 0) d = d->next;
    if (d) {
        free(key);
        if (!d->in_tx) {
            /* Rolled back (another sink of this file failed) or already
             * committed: this member cannot write any more. */
            hz->error(c, "%s: the transaction of this run is already closed", d->key);
            return NULL;
        }
    } else {
        d = open_db(c, path, key);
        if (!d) return NULL;
    }
    d->refs++;
    d->members++;
    return d;
}

int sqlite_db_commit(hz_component *c, sqlite_db *d) {
    /* Every sink of the run has prepared before any commits, so the first
     * member to commit makes the whole file's transaction visible; the
     * others report how that went, so that none says "published" for a
     * COMMIT that failed. */
    if (d->commit_failed) {
        hz->error(c, "%s: the COMMIT of this file failed: this table is not published", d->key);
        return -1;
    }
    if (d->committed++) return 0;
    if (!d->in_tx) {
        hz->error(c, "%s: the transaction was rolled back: nothing is published", d->key);
        return -1;
    }
    if (sqlite_db_exec(c, d, "COMMIT") != 0) {
        d->commit_failed = true;
        return -1;
    }
    d->in_tx = false;
    return 0;
}

void sqlite_db_abort(sqlite_db *d) {
    if (d->in_tx || !sqlite3_get_autocommit(d->db)) sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
    if (!d->rolled_back && d->created) unlink_db(d);
    d->in_tx = false;
    d->rolled_back = true;
}

void sqlite_db_leave(sqlite_db *d) {
    if (--d->refs > 0) return;
    if (d->in_tx) sqlite_db_abort(d); /* never committed: as if aborted */
    close_db(d);
}
