/* Output claims (see claims.h). */
#define _GNU_SOURCE
#include "claims.h"

#include "output_links.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

struct hz_claim {
    char *path;  /* canonical, or NULL */
    char *table; /* or NULL: the whole file */
    hz_component *c;
    const hz_value *at;
};

/* `path` with its existing part resolved (symbolic links, "..", "."), the
 * rest (folders a sink will create) appended as written: two spellings of
 * one file give one string.  *blocked is set to the existing part when it
 * is a file that the rest would need to be a folder. */
/* `rest` ("/a/./b/../c") without its "." and ".." steps, appended to out.
 * Only for the part of a path that does not exist yet: no link in it can
 * make ".." mean anything else. */
static void append_lexical(hz_strbuf *out, const char *rest) {
    size_t base = out->len;
    for (const char *s = rest; *s;) {
        while (*s == '/') s++;
        const char *e = s;
        while (*e && *e != '/') e++;
        size_t n = (size_t)(e - s);
        if (n == 0 || (n == 1 && s[0] == '.')) {
            /* nothing */
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            while (out->len > base && out->data[out->len - 1] != '/') out->len--;
            if (out->len > base) out->len--; /* the slash */
        } else {
            hz_strbuf_add(out, "/", 1);
            hz_strbuf_add(out, s, n);
        }
        s = e;
    }
}

static char *canonical(const char *path, char **blocked) {
    *blocked = NULL;
    char *work = hz_xstrdup(path);
    size_t len = strlen(work);
    for (;;) {
        char *real = realpath(work, NULL);
        if (real) {
            const char *rest = path + len;
            struct stat st;
            if (*rest && stat(real, &st) == 0 && !S_ISDIR(st.st_mode)) *blocked = hz_xstrdup(real);
            hz_strbuf full = {0};
            hz_strbuf_adds(&full, strcmp(real, "/") ? real : "");
            append_lexical(&full, rest);
            char *result = hz_xstrdup(full.len ? hz_strbuf_cstr(&full) : "/");
            hz_strbuf_free(&full);
            free(real);
            free(work);
            return result;
        }
        char *slash = strrchr(work, '/');
        if (!slash || slash == work) break;
        *slash = '\0';
        len = (size_t)(slash - work);
    }
    free(work);
    return hz_xstrdup(path);
}

/* As messages show paths: relative to the pipeline's folder inside it. */
static const char *shown_path(const hz_pipeline *p, const char *path) {
    size_t n = strlen(p->dir);
    if (!strcmp(path, p->dir)) return ".";
    return !strncmp(path, p->dir, n) && path[n] == '/' ? path + n + 1 : path;
}

static const char *where(const hz_value *at, hz_component *c, char *buf, size_t size) {
    if (at)
        snprintf(buf, size, "%s:%u:%u", at->file, at->line, at->col);
    else
        snprintf(buf, size, "'%s'", c->name);
    return buf;
}

int hz_claim_output(hz_component *c, const char *path, const char *table, const hz_value *at) {
    hz_pipeline *p = c->pipeline;
    /* A link at the output's path is refused here, in plan(), so that
     * validate says so and a run stops before anything is written. */
    char *link = path ? hz_output_link_problem(p, c, path) : NULL;
    if (link) {
        hz_component_config_error(c, at, "%s", link);
        free(link);
        return -1;
    }
    char *blocked = NULL, *canon = path ? canonical(path, &blocked) : NULL;
    int rc = 0;
    const char *shown = path ? shown_path(p, path) : NULL;
    struct stat st;
    if (blocked) {
        hz_component_config_error(c, at, "cannot write %s: %s is a file, not a folder", shown,
                                  shown_path(p, blocked));
        rc = -1;
    } else if (canon && stat(canon, &st) == 0 && S_ISDIR(st.st_mode)) {
        hz_component_config_error(c, at, "cannot write %s: it is a folder", shown);
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < p->nclaims; i++) {
        const hz_claim *q = &p->claims[i];
        bool same_file = canon && q->path && !strcmp(canon, q->path);
        /* Table names compare without case, as SQL's unquoted names do. */
        bool same_table = table && q->table && !strcasecmp(table, q->table);
        char pos[PATH_MAX + 64];
        if (same_file && (!table || !q->table || same_table)) {
            if (table && q->table)
                hz_component_config_error(c, at,
                                          "table '%s' of %s is also written by '%s' (%s): one sink per table",
                                          table, shown, q->c->name, where(q->at, q->c, pos, sizeof pos));
            else
                hz_component_config_error(
                    c, at,
                    "%s is also written by '%s' (%s): two outputs on one file would overwrite each other",
                    shown, q->c->name, where(q->at, q->c, pos, sizeof pos));
            rc = -1;
        } else if (!canon && !q->path && same_table) {
            hz_component_config_error(c, at, "table %s is also written by '%s' (%s): one sink per table",
                                      table, q->c->name, where(q->at, q->c, pos, sizeof pos));
            rc = -1;
        }
    }
    if (rc != 0) {
        free(canon);
        free(blocked);
        return -1;
    }
    p->claims = hz_xrealloc(p->claims, (p->nclaims + 1) * sizeof *p->claims);
    p->claims[p->nclaims++] = (hz_claim){canon, table ? hz_xstrdup(table) : NULL, c, at};
    return 0;
}

void hz_claims_check_feeds(hz_pipeline *p) {
    for (size_t f = 0; f < p->nfeeds; f++) {
        if (!p->feeds[f].path) continue;
        char *blocked = NULL, *feed = canonical(p->feeds[f].path, &blocked);
        free(blocked);
        for (size_t i = 0; i < p->nclaims; i++) {
            const hz_claim *q = &p->claims[i];
            if (q->path && !strcmp(q->path, feed))
                hz_component_config_error(
                    q->c, q->at,
                    "'%s' would write over %s, which source '%s' reads: write the output "
                    "elsewhere",
                    q->c->name, p->feeds[f].file, p->feeds[f].source->name);
        }
        free(feed);
    }
}

size_t hz_claims_count(const hz_pipeline *p) {
    return p->nclaims;
}

const char *hz_claim_get(const hz_pipeline *p, size_t i, const char **table, hz_component **c) {
    if (table) *table = p->claims[i].table;
    if (c) *c = p->claims[i].c;
    return p->claims[i].path;
}

char *hz_claims_canonical(const char *path) {
    char *blocked = NULL, *canon = canonical(path, &blocked);
    free(blocked);
    return canon;
}

int hz_claims_check_extra(hz_pipeline *p, const char *path, const char *what, const hz_value *at) {
    char *link = hz_output_link_problem(p, NULL, path);
    if (link) {
        hz_diag_add(p->diag, HZ_DIAG_ERROR, at ? at->file : p->file, at ? at->line : 0, at ? at->col : 0,
                    "%s", link);
        free(link);
        return -1;
    }
    char *canon = hz_claims_canonical(path);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < p->nclaims; i++)
        if (p->claims[i].path && !strcmp(p->claims[i].path, canon)) {
            char pos[PATH_MAX + 64];
            hz_diag_add(p->diag, HZ_DIAG_ERROR, at ? at->file : p->file, at ? at->line : 0, at ? at->col : 0,
                        "%s %s is also written by '%s' (%s): set 'manifest:' to another file", what,
                        shown_path(p, canon), p->claims[i].c->name,
                        where(p->claims[i].at, p->claims[i].c, pos, sizeof pos));
            rc = -1;
        }
    for (size_t f = 0; rc == 0 && f < p->nfeeds; f++) {
        char *feed = p->feeds[f].path ? hz_claims_canonical(p->feeds[f].path) : NULL;
        if (feed && !strcmp(feed, canon)) {
            hz_diag_add(p->diag, HZ_DIAG_ERROR, at ? at->file : p->file, at ? at->line : 0, at ? at->col : 0,
                        "%s %s is a feed that source '%s' reads: set 'manifest:' to another file", what,
                        shown_path(p, canon), p->feeds[f].source->name);
            rc = -1;
        }
        free(feed);
    }
    free(canon);
    return rc;
}

void hz_claims_free(hz_pipeline *p) {
    for (size_t i = 0; i < p->nclaims; i++) {
        free(p->claims[i].path);
        free(p->claims[i].table);
    }
    free(p->claims);
}
