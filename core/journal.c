/* The intent journal of a run's publication (see journal.h).
 *
 * Format, one record a line, paths as <length>:<bytes> so that any byte
 * may appear in them:
 *   harmonize-journal 1 RUN_ID
 *   stage <n>:TARGET <n>:TEMPORARY
 *   prepared
 * A line cut short (a power cut between write and fsync) ends the
 * journal: what follows it never happened. */
#define _POSIX_C_SOURCE 200809L
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_mode.h"
#include "output_links.h"
#include "util.h"

#define JOURNAL_MAGIC "harmonize-journal 1 "

struct hz_journal {
    char *path; /* STATE/journal */
    char *dir;  /* STATE */
    char *run_id;
    int fd;
    bool prepared;
};

typedef struct staged_pair {
    char *target, *temp;
} staged_pair;

/* Append one record and make it durable. */
static int journal_append(hz_journal *j, const char *line, size_t n) {
    if (hz_write_all(j->fd, line, n) != 0 || fsync(j->fd) != 0) return -1;
    return 0;
}

/* ---- reading a journal left by a killed run ---------------------------- */

/* `<n>:bytes`, advancing *s; NULL if the text is not that. */
static char *read_counted(const char **s, const char *end) {
    char *num_end = NULL;
    errno = 0;
    unsigned long long n = strtoull(*s, &num_end, 10);
    if (errno || num_end == *s || num_end >= end || *num_end != ':') return NULL;
    const char *data = num_end + 1;
    if (n > (unsigned long long)(end - data)) return NULL;
    *s = data + n;
    return hz_xstrndup(data, (size_t)n);
}

/* Parse the journal's text: its staged pairs and whether it reached its
 * commit point.  Stops at the first record that is not whole. */
static size_t parse_journal(const char *text, size_t len, staged_pair **pairs, bool *prepared,
                            char **run_id) {
    const char *s = text, *end = text + len;
    size_t n = 0;
    *pairs = NULL;
    *prepared = false;
    *run_id = NULL;
    const char *nl = memchr(s, '\n', len);
    if (!nl || strncmp(s, JOURNAL_MAGIC, strlen(JOURNAL_MAGIC)) != 0) return 0;
    *run_id = hz_xstrndup(s + strlen(JOURNAL_MAGIC), (size_t)(nl - s) - strlen(JOURNAL_MAGIC));
    s = nl + 1;
    while (s < end) {
        nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl) break; /* cut short */
        if ((size_t)(nl - s) == strlen("prepared") && !strncmp(s, "prepared", 8)) {
            *prepared = true;
        } else if (!strncmp(s, "stage ", 6)) {
            const char *p = s + 6;
            char *target = read_counted(&p, nl);
            char *temp = NULL;
            if (target && p < nl && *p == ' ') {
                p++;
                temp = read_counted(&p, nl);
            }
            if (!target || !temp || p != nl) {
                free(target);
                free(temp);
                break;
            }
            *pairs = hz_xrealloc(*pairs, (n + 1) * sizeof **pairs);
            (*pairs)[n++] = (staged_pair){target, temp};
        } else {
            break;
        }
        s = nl + 1;
    }
    return n;
}

static char *read_file(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd < 0) return NULL;
    hz_strbuf b = {0};
    char chunk[8192];
    ssize_t r;
    while ((r = read(fd, chunk, sizeof chunk)) > 0) hz_strbuf_add(&b, chunk, (size_t)r);
    close(fd);
    *len = b.len;
    return b.data ? b.data : hz_xstrdup("");
}

/* What SQLite may leave beside a database it was writing. */
static void unlink_with_companions(const char *path) {
    static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        char *name = hz_xasprintf("%s%s", path, suffixes[i]);
        unlink(name);
        free(name);
    }
}

int hz_journal_recover(const char *state_dir) {
    char *path = hz_xasprintf("%s/journal", state_dir);
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) {
        int err = errno;
        free(path);
        if (err == ENOENT) return 0;
        fprintf(stderr, "harmonize: cannot read the journal %s/journal: %s\n", state_dir, strerror(err));
        return -1;
    }
    staged_pair *pairs;
    bool prepared;
    char *run_id;
    size_t n = parse_journal(text, len, &pairs, &prepared, &run_id);
    size_t moved = 0, removed = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        bool there = lstat(pairs[i].temp, &st) == 0 && S_ISREG(st.st_mode);
        if (prepared && there) {
            /* Complete and durable since the commit point: publish it. */
            if (rename(pairs[i].temp, pairs[i].target) != 0) {
                fprintf(stderr, "harmonize: cannot finish the interrupted publication of %s: %s\n",
                        pairs[i].target, strerror(errno));
                rc = -1;
                continue;
            }
            hz_sync_folder_of(pairs[i].target);
            moved++;
        } else if (there) {
            removed++;
        }
        if (rc == 0) unlink_with_companions(pairs[i].temp);
    }
    if (rc == 0) {
        if (n || len) {
            if (prepared)
                fprintf(stderr,
                        "harmonize: run %s was interrupted while publishing: finished it (%zu file%s moved "
                        "into place)\n",
                        run_id ? run_id : "?", moved, moved == 1 ? "" : "s");
            else
                fprintf(stderr,
                        "harmonize: run %s was interrupted before publishing: removed its %zu temporary "
                        "file%s, the previous outputs stand\n",
                        run_id ? run_id : "?", removed, removed == 1 ? "" : "s");
        }
        if (unlink(path) != 0 && errno != ENOENT) {
            fprintf(stderr, "harmonize: cannot remove the journal %s: %s\n", path, strerror(errno));
            rc = -1;
        }
        hz_sync_folder(state_dir);
    }
    for (size_t i = 0; i < n; i++) {
        free(pairs[i].target);
        free(pairs[i].temp);
    }
    free(pairs);
    free(run_id);
    free(text);
    free(path);
    return rc;
}

/* ---- the run's own journal ---------------------------------------------- */

hz_journal *hz_journal_begin(const char *state_dir, const char *run_id, mode_t mode) {
    hz_journal *j = hz_xcalloc(1, sizeof *j);
    j->dir = hz_xstrdup(state_dir);
    j->path = hz_xasprintf("%s/journal", state_dir);
    j->run_id = hz_xstrdup(run_id);
    /* Recovery removed any journal before us: whatever is there now (a
     * link someone made) is not ours to write through. */
    j->fd = open(j->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    char *head = hz_xasprintf(JOURNAL_MAGIC "%s\n", run_id);
    if (j->fd < 0 || hz_file_mode_set_fd(j->fd, mode) != 0 || journal_append(j, head, strlen(head)) != 0) {
        fprintf(stderr, "harmonize: cannot write the journal %s: %s\n", j->path, strerror(errno));
        free(head);
        if (j->fd >= 0) close(j->fd);
        unlink(j->path);
        free(j->dir);
        free(j->path);
        free(j->run_id);
        free(j);
        return NULL;
    }
    free(head);
    hz_sync_folder(state_dir); /* the journal's own entry */
    return j;
}

const char *hz_journal_path(const hz_journal *j) {
    return j->path;
}

const char *hz_journal_stage(hz_pipeline *p, hz_component *c, const char *target) {
    hz_journal *j = p->journal;
    /* Checked again here, at run time (plan() refused what was there
     * then): a sink renaming its file over a link would replace the link,
     * and one that writes the target through it would write elsewhere. */
    char *link = hz_output_link_problem(p, c, target);
    if (link) {
        if (c)
            hz_diag_now_in(p->diag, HZ_DIAG_ERROR, c->name, "%s %s '%s': %s", c->plugin->desc->name,
                           hz_role_name(c->role), c->name, link);
        else
            hz_diag_now(p->diag, HZ_DIAG_ERROR, "%s", link);
        free(link);
        p->failed = true;
        return NULL;
    }
    /* The file is created by the caller right after this returns: the
     * umask makes it the output's mode from its first moment (the core
     * puts back the sink's umask when the sink's call returns). */
    mode_t mode = hz_output_mode(p, c, target);
    hz_file_mode_umask(mode);
    const char *slash = strrchr(target, '/');
    int dir_len = slash ? (int)(slash - target) + 1 : 0;
    /* Hidden, in the target's folder, named after the run: one run holds
     * the lock at a time, so no two runs ever make the same name. */
    char *temp = hz_xasprintf("%.*s.%s.tmp-%s-%zu", dir_len, target, target + dir_len,
                              j ? j->run_id : "staged", p->nstaged);
    if (j) {
        hz_strbuf line = {0};
        hz_strbuf_printf(&line, "stage %zu:", strlen(target));
        hz_strbuf_add(&line, target, strlen(target));
        hz_strbuf_printf(&line, " %zu:", strlen(temp));
        hz_strbuf_add(&line, temp, strlen(temp));
        hz_strbuf_add(&line, "\n", 1);
        int rc = journal_append(j, line.data, line.len);
        hz_strbuf_free(&line);
        if (rc != 0) {
            hz_diag_now(p->diag, HZ_DIAG_ERROR, "%s: cannot write the journal %s: %s",
                        c ? c->name : "manifest", j->path, strerror(errno));
            p->failed = true;
            free(temp);
            return NULL;
        }
    }
    p->staged = hz_xrealloc(p->staged, (p->nstaged + 1) * sizeof *p->staged);
    p->staged[p->nstaged++] = (hz_staged){hz_xstrdup(target), temp, mode};
    return temp;
}

int hz_journal_commit_point(hz_journal *j, hz_pipeline *p) {
    if (!j) return 0;
    if (journal_append(j, "prepared\n", 9) != 0) {
        hz_diag_now(p->diag, HZ_DIAG_ERROR, "cannot write the journal %s: %s: nothing is published", j->path,
                    strerror(errno));
        return -1;
    }
    j->prepared = true;
    return 0;
}

void hz_journal_end(hz_journal *j, hz_pipeline *p) {
    if (!j) return;
    /* Before the commit point a staged file is a run's leftover; after
     * it, one still there is the file of a sink whose commit failed (the
     * summary says it is not published).  Neither may linger. */
    for (size_t i = 0; i < p->nstaged; i++) unlink_with_companions(p->staged[i].temp);
    close(j->fd);
    unlink(j->path);
    hz_sync_folder(j->dir);
    free(j->dir);
    free(j->path);
    free(j->run_id);
    free(j);
}
