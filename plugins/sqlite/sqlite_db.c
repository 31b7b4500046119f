/* Shared connections, one per database file (see sqlite_db.h).  Static
 * state is per process, which is what a run is. */
#define _XOPEN_SOURCE 700
#include "sqlite_db.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
    char *staged; /* the new file built under a temporary name, or NULL */
    int prepared; /* members that prepared */
    struct sqlite_db *next;
};

static sqlite_db *open_dbs;
static sqlite_decl *decls;

void sqlite_db_declare(sqlite_decl *decl) {
    decl->next = decls;
    decls = decl;
}

void sqlite_db_withdraw(sqlite_decl *decl) {
    for (sqlite_decl **p = &decls; *p; p = &(*p)->next)
        if (*p == decl) {
            *p = decl->next;
            return;
        }
}

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

static void unlink_file(const char *path) {
    const char *suffixes[] = {"", "-journal", "-wal", "-shm"};
    hzs_buf name = {0};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        hzs_buf_clear(&name);
        hzs_buf_printf(&name, "%s%s", path, suffixes[i]);
        unlink(hzs_buf_str(&name));
    }
    hzs_buf_free(&name);
}

static void unlink_db(sqlite_db *d) {
    unlink_file(d->staged ? d->staged : d->key);
}

static void close_db(sqlite_db *d) {
    sqlite_db **p = &open_dbs;
    while (*p && *p != d) p = &(*p)->next;
    if (*p) *p = d->next;
    sqlite3_close(d->db);
    free(d->key);
    free(d->staged);
    free(d);
}

/* Whether every table (view, trigger, index) in the existing file `key`
 * belongs to a table this run replaces there, and every sink of the run
 * on the file replaces: then the file is rewritten whole. */
static bool rewritten_whole(const char *key) {
    for (sqlite_decl *x = decls; x; x = x->next) {
        char *k = sqlite_db_canonical(x->path);
        bool same = k && !strcmp(k, key);
        free(k);
        if (same && !x->replace) return false;
    }
    struct stat st;
    if (lstat(key, &st) != 0) return errno == ENOENT;
    if (!S_ISREG(st.st_mode)) return false; /* not a plain file: opening it in place will say why */
    hzs_buf side = {0};
    hzs_buf_printf(&side, "%s-journal", key);
    bool hot = access(hzs_buf_str(&side), F_OK) == 0;
    hzs_buf_clear(&side);
    hzs_buf_printf(&side, "%s-wal", key);
    hot = hot || access(hzs_buf_str(&side), F_OK) == 0;
    hzs_buf_free(&side);
    if (hot) return false; /* SQLite must recover or checkpoint it first */
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    bool whole = sqlite3_open_v2(key, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL) == SQLITE_OK &&
                 sqlite3_prepare_v2(db,
                                    "SELECT tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' "
                                    "ESCAPE '\\' UNION ALL SELECT 'journal_mode=wal' FROM "
                                    "pragma_journal_mode WHERE journal_mode = 'wal'",
                                    -1, &q, NULL) == SQLITE_OK;
    while (whole && sqlite3_step(q) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(q, 0);
        bool ours = false;
        for (sqlite_decl *x = decls; x && !ours; x = x->next) {
            char *k = sqlite_db_canonical(x->path);
            ours = k && !strcmp(k, key) && table && !strcasecmp(x->table, table);
            free(k);
        }
        whole = ours;
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return whole;
}

/* A new, empty database file under the core's temporary name. */
static char *create_staged(hz_component *c, const char *key) {
    const char *name = hz->stage_file(c, key);
    if (!name) return NULL;
    int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        hz->error(c, "cannot create %s (temporary file %s): %s", hz->display_path(c, key), name,
                  strerror(errno));
        return NULL;
    }
    close(fd);
    return hz->xstrdup(name);
}

static sqlite_db *open_db(hz_component *c, const char *path, char *key) {
    sqlite_db *d = hz->xcalloc(1, sizeof *d);
    d->key = key;
    struct stat st;
    d->created = stat(key, &st) != 0 && errno == ENOENT;
    if (HZ_HOST_HAS(stage_file) && rewritten_whole(key)) {
        d->staged = create_staged(c, key);
        if (!d->staged) {
            close_db(d);
            return NULL;
        }
    }
    /* NOFOLLOW: never through a link at the file's path (the core refused
     * one in plan(); this holds if one appears since).  With
     * follow_symlinks the core gave us the link's target as the path. */
    int rc = sqlite3_open_v2(d->staged ? d->staged : key, &d->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL);
    if (rc != SQLITE_OK && d->db && sqlite3_extended_errcode(d->db) == SQLITE_CANTOPEN_SYMLINK) {
        char to[PATH_MAX];
        ssize_t n = readlink(key, to, sizeof to - 1);
        to[n > 0 ? n : 0] = '\0';
        hz->error(c,
                  "%s is a symbolic link (to %s): refusing to write through it; set follow_symlinks: true on "
                  "the sink to write to its target",
                  hz->display_path(c, path), n > 0 ? to : "?");
        if (d->staged) unlink_db(d);
        close_db(d);
        return NULL;
    }
    if (rc != SQLITE_OK) {
        hz->error(c, "cannot open %s: %s", path, d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc));
        if (d->staged) unlink_db(d);
        close_db(d);
        return NULL;
    }
    sqlite3_extended_result_codes(d->db, 1);
    sqlite3_busy_timeout(d->db, BUSY_TIMEOUT_MS);
    /* A staged file is nobody else's until it is renamed, and a failed run
     * simply removes it: no rollback journal, no syncs while it is built
     * (sqlite_db_prepare makes it durable once, at the end).  IMMEDIATE:
     * in place, take the write lock now, so that another writer makes this
     * run wait (then fail) before any row is read. */
    const char *begin =
        d->staged ? "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN" : "BEGIN IMMEDIATE";
    if (sqlite_db_exec(c, d, begin) != 0) {
        if (d->created || d->staged) unlink_db(d);
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

/* fsync a file by name. */
static int sync_file(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    if (close(fd) != 0) rc = -1;
    return rc;
}

int sqlite_db_prepare(hz_component *c, sqlite_db *d) {
    if (!d->staged || ++d->prepared < d->members) return 0;
    /* The last member of a staged file: its content is final.  COMMIT and
     * fsync now, so that commit() is only the rename. */
    if (!d->in_tx) {
        hz->error(c, "%s: the transaction was rolled back: nothing is published", d->key);
        return -1;
    }
    if (sqlite_db_exec(c, d, "COMMIT") != 0) return -1;
    d->in_tx = false;
    if (sync_file(d->staged) != 0) {
        hz->error(c, "cannot write %s (temporary file %s): %s", hz->display_path(c, d->key), d->staged,
                  strerror(errno));
        return -1;
    }
    return 0;
}

static void sync_folder_of(const char *path) {
    char *dir = hzs_dirname(path);
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd); /* best effort: some file systems refuse it on folders */
        close(fd);
    }
    free(dir);
}

int sqlite_db_commit(hz_component *c, sqlite_db *d) {
    /* Every sink of the run has prepared before any commits, so the first
     * member to commit makes the whole file visible; the others report how
     * that went, so that none says "published" for a commit that failed. */
    if (d->commit_failed) {
        hz->error(c, "%s: the commit of this file failed: this table is not published", d->key);
        return -1;
    }
    if (d->committed++) return 0;
    if (d->staged) {
        if (rename(d->staged, d->key) != 0) {
            hz->error(c, "cannot publish %s: %s", hz->display_path(c, d->key), strerror(errno));
            d->commit_failed = true;
            return -1;
        }
        free(d->staged);
        d->staged = NULL;
        sync_folder_of(d->key);
        return 0;
    }
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
    if (!d->rolled_back && (d->created || d->staged)) unlink_db(d);
    d->in_tx = false;
    d->rolled_back = true;
}

void sqlite_db_leave(sqlite_db *d) {
    if (--d->refs > 0) return;
    if (d->in_tx) sqlite_db_abort(d); /* never committed: as if aborted */
    close_db(d);
}
