/* The run manifest (see manifest.h). */
#define _GNU_SOURCE
#include "manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "country/hz_country.h"

#include "claims.h"
#include "file_mode.h"
#include "input_hash.h"
#include "config.h"
#include "registry.h"
#include "sha256.h"

/* ---- small helpers ------------------------------------------------------ */

static json_t *iso_time(double t) {
    time_t s = (time_t)t;
    struct tm tm;
    gmtime_r(&s, &tm);
    char buf[40];
    size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, sizeof buf - n, ".%03dZ", (int)((t - (double)s) * 1000));
    return json_string(buf);
}

/* A file's size and SHA-256 into `o` (null both when it cannot be read:
 * a pipe, a database that is no file). */
static void add_file_hash(json_t *o, const char *path) {
    char hex[HZ_SHA256_HEX];
    uint64_t size = 0;
    if (path && hz_sha256_file(path, hex, &size) == 0) {
        json_object_set_new(o, "size", json_integer((json_int_t)size));
        json_object_set_new(o, "sha256", json_string(hex));
    } else {
        json_object_set_new(o, "size", json_null());
        json_object_set_new(o, "sha256", json_null());
    }
}

/* ---- the configuration, secrets redacted -------------------------------- */

/* Option names whose value is a secret or may carry one. */
static bool secret_key(const char *key) {
    static const char *const words[] = {"password", "passwd", "secret", "token", "credential", "api_key"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcasestr(key, words[i])) return true;
    return false;
}

/* A connection string's password: `password=...` (libpq's key=value form)
 * and `scheme://user:PASSWORD@host` (its URI form) become "***". */
static json_t *redacted_text(const char *text) {
    hz_strbuf out = {0};
    const char *s = text;
    while (*s) {
        const char *pw = strcasestr(s, "password=");
        const char *uri = strstr(s, "://");
        const char *at = NULL, *colon = NULL;
        if (uri) {
            at = strchr(uri + 3, '@');
            colon = at ? memchr(uri + 3, ':', (size_t)(at - uri - 3)) : NULL;
            if (colon && memchr(uri + 3, '/', (size_t)(at - uri - 3))) colon = NULL;
        }
        if (colon && (!pw || colon < pw)) {
            hz_strbuf_add(&out, s, (size_t)(colon + 1 - s));
            hz_strbuf_adds(&out, "***");
            s = at;
        } else if (pw) {
            pw += strlen("password=");
            hz_strbuf_add(&out, s, (size_t)(pw - s));
            hz_strbuf_adds(&out, "***");
            if (*pw == '\'') { /* a quoted value, with \' inside */
                pw++;
                while (*pw && *pw != '\'') pw += pw[0] == '\\' && pw[1] ? 2 : 1;
                if (*pw) pw++;
            } else {
                while (*pw && *pw != ' ' && *pw != '&') pw++;
            }
            s = pw;
        } else {
            hz_strbuf_adds(&out, s);
            break;
        }
    }
    json_t *j = json_string(out.data ? out.data : "");
    hz_strbuf_free(&out);
    return j;
}

static json_t *config_json(const hz_value *v, bool secret) {
    if (!v) return json_null();
    if (v->kind == HZ_VALUE_SCALAR) return secret ? json_string("***") : redacted_text(v->text);
    json_t *j = v->kind == HZ_VALUE_LIST ? json_array() : json_object();
    for (size_t i = 0; i < v->count; i++) {
        if (v->kind == HZ_VALUE_LIST) {
            json_array_append_new(j, config_json(v->items[i], secret));
        } else {
            const char *key = v->keys[i]->text;
            json_object_set_new(j, key, config_json(v->items[i], secret || secret_key(key)));
        }
    }
    return j;
}

/* ---- the parts ------------------------------------------------------------ */

static json_t *plugins_json(hz_pipeline *p) {
    json_t *a = json_array();
    for (size_t i = 0; i < p->ncomps; i++) {
        const hz_loaded_plugin *lp = p->comps[i]->plugin;
        if (!lp) continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) seen = p->comps[k]->plugin == lp;
        if (seen) continue;
        char abi[24];
        snprintf(abi, sizeof abi, "%u.%u", (unsigned)lp->desc->abi_major, (unsigned)lp->desc->abi_minor);
        json_t *o = json_pack("{s:s, s:s?, s:s, s:s}", "name", lp->desc->name, "version", lp->desc->version,
                              "abi", abi, "file", lp->path);
        char hex[HZ_SHA256_HEX];
        uint64_t size;
        json_object_set_new(o, "sha256",
                            hz_sha256_file(lp->path, hex, &size) == 0 ? json_string(hex) : json_null());
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *inputs_json(hz_pipeline *p) {
    json_t *a = json_array();
    for (size_t i = 0; i < p->nfeeds; i++) {
        const hz_feed *f = &p->feeds[i];
        char *abs = f->path ? realpath(f->path, NULL) : NULL;
        json_t *o = json_pack("{s:s, s:s, s:I, s:I}", "source", f->source->name, "path",
                              abs ? abs : (f->path ? f->path : f->file), "records", (json_int_t)f->records,
                              "rejected", (json_int_t)f->rejected);
        const char *hex;
        uint64_t size;
        if (p->input_hashes &&
            (hz_input_hashes_join(p->input_hashes), hz_input_hash(p->input_hashes, i, &hex, &size))) {
            json_object_set_new(o, "size", json_integer((json_int_t)size));
            json_object_set_new(o, "sha256", json_string(hex));
        } else {
            add_file_hash(o, abs);
        }
        free(abs);
        json_t *absorbed = json_object();
        for (size_t k = 0; k < f->nabsorbed; k++)
            json_object_set_new(absorbed, f->absorbed[k].label,
                                json_integer((json_int_t)f->absorbed[k].rows));
        json_object_set_new(o, "absorbed", absorbed);
        /* A feed that is part of its file (a zip member): how rejects name it. */
        if (f->named) json_object_set_new(o, "feed", json_string(f->file));
        json_array_append_new(a, o);
    }
    return a;
}

/* The staged file that becomes the claimed file `canon`, if any. */
static const char *staged_for(hz_pipeline *p, const char *canon) {
    for (size_t i = 0; i < p->nstaged; i++) {
        char *t = hz_claims_canonical(p->staged[i].target);
        bool same = !strcmp(t, canon);
        free(t);
        if (same) return p->staged[i].temp;
    }
    return NULL;
}

static json_t *outputs_json(hz_pipeline *p, bool hash_outputs) {
    json_t *a = json_array();
    for (size_t i = 0; i < hz_claims_count(p); i++) {
        const char *table;
        hz_component *c;
        const char *path = hz_claim_get(p, i, &table, &c);
        json_t *o = json_pack("{s:s, s:s, s:b}", "component", c->name, "plugin", c->plugin->desc->name,
                              "rejects", c->is_rejects);
        json_object_set_new(o, "path", path ? json_string(path) : json_null());
        json_object_set_new(o, "table", table ? json_string(table) : json_null());
        json_object_set_new(o, "rows", json_integer((json_int_t)c->rows_in));
        const char *staged = path && hash_outputs ? staged_for(p, path) : NULL;
        json_object_set_new(o, "staged", json_boolean(staged != NULL));
        add_file_hash(o, staged);
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *components_json(hz_pipeline *p) {
    json_t *a = json_array();
    for (size_t i = 0; i < p->norder; i++) {
        hz_component *c = p->order[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "name", c->name, "kind",
                              hz_role_name(c->role), "plugin", c->plugin ? c->plugin->desc->name : "?", "in",
                              (json_int_t)c->rows_in, "out", (json_int_t)c->rows_out, "rejected",
                              (json_int_t)c->rejected, "absorbed", (json_int_t)c->absorbed);
        if (c->nabsorbed_labels) {
            json_t *labels = json_object();
            for (size_t k = 0; k < c->nabsorbed_labels; k++)
                json_object_set_new(labels, c->absorbed_labels[k].label,
                                    json_integer((json_int_t)c->absorbed_labels[k].rows));
            json_object_set_new(o, "absorbed_as", labels);
        }
        json_array_append_new(a, o);
    }
    return a;
}

json_t *hz_manifest_build(hz_pipeline *p, bool hash_outputs) {
    json_t *m = json_object();
    char abi[24];
    snprintf(abi, sizeof abi, "%d.%d", HZ_ABI_MAJOR, HZ_ABI_MINOR);
    json_object_set_new(m, "harmonize",
                        json_pack("{s:s, s:s}", "version", PACKAGE_VERSION, "plugin_abi", abi));
    json_object_set_new(m, "run_id", p->run_id ? json_string(p->run_id) : json_null());
    char *abs = realpath(p->file, NULL);
    json_t *pipe = json_pack("{s:s?, s:s}", "name", p->name, "path", abs ? abs : p->file);
    char hex[HZ_SHA256_HEX];
    uint64_t size;
    json_object_set_new(pipe, "sha256",
                        hz_sha256_file(p->file, hex, &size) == 0 ? json_string(hex) : json_null());
    free(abs);
    json_object_set_new(m, "pipeline", pipe);
    json_object_set_new(m, "configuration", config_json(p->doc ? p->doc->root : NULL, false));
    json_object_set_new(m, "plugins", plugins_json(p));
    json_object_set_new(m, "country_table", json_string(hz_country_data_version));
    json_object_set_new(m, "inputs", inputs_json(p));
    json_object_set_new(m, "outputs", outputs_json(p, hash_outputs));
    json_object_set_new(m, "components", components_json(p));
    json_t *reasons = json_object();
    for (size_t i = 0; i < p->nreasons; i++)
        json_object_set_new(reasons, p->reasons[i].reason, json_integer((json_int_t)p->reasons[i].rows));
    json_object_set_new(m, "rejects",
                        json_pack("{s:I, s:o}", "total", (json_int_t)p->total_rejects, "by_reason", reasons));
    json_object_set_new(m, "started", iso_time(p->started_at));
    json_object_set_new(m, "ended", iso_time(hz_wall_clock()));
    json_object_set_new(m, "status", json_string(p->failed ? "failed" : "published"));
    return m;
}

void hz_manifest_finish(json_t *m, hz_pipeline *p, int exit_status, double seconds) {
    size_t committed = 0, outputs = hz_claims_count(p);
    json_t *out = json_object_get(m, "outputs");
    for (size_t i = 0; i < outputs; i++) {
        hz_component *c;
        hz_claim_get(p, i, NULL, &c);
        committed += c->published;
        json_object_set_new(json_array_get(out, i), "committed", json_boolean(c->published));
    }
    const char *status = exit_status == 0 ? "published" : committed ? "partly published" : "failed";
    json_object_set_new(m, "status", json_string(status));
    json_object_set_new(m, "exit_status", json_integer(exit_status));
    json_object_set_new(m, "ended", iso_time(hz_wall_clock()));
    json_object_set_new(m, "duration_seconds", json_real((double)(long long)(seconds * 1000) / 1000));
}

/* ---- files ------------------------------------------------------------------ */

int hz_manifest_write_fd(const json_t *m, int fd) {
    char *text = json_dumps(m, JSON_INDENT(2));
    if (!text) {
        errno = ENOMEM;
        return -1;
    }
    int rc = hz_write_all(fd, text, strlen(text)) == 0 && hz_write_all(fd, "\n", 1) == 0 ? 0 : -1;
    free(text);
    if (rc == 0 && fsync(fd) != 0) rc = -1;
    return rc;
}

int hz_manifest_write(const json_t *m, const char *path, mode_t mode) {
    char *tmp = hz_xasprintf("%s.tmp", path);
    /* A new file (O_EXCL): the run's record folder is new, so anything
     * already there is not ours to write through. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    int rc = fd < 0 || hz_file_mode_set_fd(fd, mode) != 0 ? -1 : hz_manifest_write_fd(m, fd);
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && rc == 0) rc = -1, saved = errno;
    if (rc == 0 && rename(tmp, path) != 0) rc = -1, saved = errno;
    if (rc != 0) unlink(tmp);
    free(tmp);
    errno = saved;
    return rc;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **hz_run_ids(const char *state_dir, size_t *n) {
    char *runs = hz_xasprintf("%s/runs", state_dir);
    DIR *d = opendir(runs);
    free(runs);
    char **names = NULL;
    *n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        names = hz_xrealloc(names, (*n + 1) * sizeof *names);
        names[(*n)++] = hz_xstrdup(e->d_name);
    }
    if (d) closedir(d);
    if (*n > 1) qsort(names, *n, sizeof *names, by_name); /* run ids sort by start time */
    return names;
}

void hz_run_ids_free(char **ids, size_t n) {
    for (size_t i = 0; i < n; i++) free(ids[i]);
    free(ids);
}

json_t *hz_manifest_load(const char *state_dir, const char *run_id) {
    char *file = hz_xasprintf("%s/runs/%s/manifest.json", state_dir, run_id);
    json_t *m = json_load_file(file, 0, NULL);
    free(file);
    return m;
}

json_t *hz_manifest_last_success(const char *state_dir) {
    size_t n;
    char **ids = hz_run_ids(state_dir, &n);
    json_t *found = NULL;
    for (size_t i = n; i-- > 0 && !found;) {
        json_t *m = hz_manifest_load(state_dir, ids[i]);
        const char *status = json_string_value(json_object_get(m, "status"));
        if (status && !strcmp(status, "published"))
            found = m;
        else
            json_decref(m);
    }
    hz_run_ids_free(ids, n);
    return found;
}

int64_t hz_manifest_source_rows(const json_t *m, const char *name) {
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(m, "components"), i, c) {
        const char *kind = json_string_value(json_object_get(c, "kind"));
        const char *cname = json_string_value(json_object_get(c, "name"));
        if (kind && cname && !strcmp(kind, "source") && !strcmp(cname, name))
            return (int64_t)json_integer_value(json_object_get(c, "in"));
    }
    return -1;
}

/* ---- --if-changed ---------------------------------------------------------- */

static bool same_member(const json_t *a, const json_t *b, const char *key) {
    return json_equal(json_object_get(a, key), json_object_get(b, key));
}

/* The members of each object of `list` that say what it is, not what
 * happened in a run (rows and times differ between equal runs). */
static json_t *identities(const json_t *list, const char *const *keys, size_t nkeys) {
    json_t *out = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        json_t *id = json_object();
        for (size_t k = 0; k < nkeys; k++) {
            json_t *v = json_object_get(o, keys[k]);
            json_object_set(id, keys[k], v ? v : json_null());
        }
        json_array_append_new(out, id);
    }
    return out;
}

static bool same_list(const json_t *now, const json_t *last, const char *member, const char *const *keys,
                      size_t nkeys) {
    json_t *a = identities(json_object_get(now, member), keys, nkeys);
    json_t *b = identities(json_object_get(last, member), keys, nkeys);
    bool same = json_equal(a, b);
    json_decref(a);
    json_decref(b);
    return same;
}

/* Every file output the last run published is still there, as it was. */
static bool outputs_as_published(const json_t *last, hz_strbuf *why) {
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(last, "outputs"), i, o) {
        const char *path = json_string_value(json_object_get(o, "path"));
        const char *sha = json_string_value(json_object_get(o, "sha256"));
        if (!path || !sha) continue;
        char hex[HZ_SHA256_HEX];
        uint64_t size;
        if (hz_sha256_file(path, hex, &size) != 0 || strcmp(hex, sha) != 0) {
            hz_strbuf_printf(why, "the output %s changed since", path);
            return false;
        }
    }
    return true;
}

static bool all_inputs_hashed(const json_t *m) {
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(m, "inputs"), i, o) {
        if (!json_is_string(json_object_get(o, "sha256"))) return false;
    }
    return true;
}

bool hz_manifest_unchanged(hz_pipeline *p, const json_t *last, hz_strbuf *why) {
    json_t *now = hz_manifest_build(p, false);
    static const char *const plugin_keys[] = {"name", "version", "abi", "sha256"};
    static const char *const input_keys[] = {"source", "path", "sha256"};
    bool same = false;
    if (!same_member(json_object_get(now, "pipeline"), json_object_get(last, "pipeline"), "sha256"))
        hz_strbuf_adds(why, "the pipeline file changed");
    else if (!same_member(now, last, "configuration"))
        hz_strbuf_adds(why, "the configuration changed (--set or an environment variable)");
    else if (!same_list(now, last, "plugins", plugin_keys, 4))
        hz_strbuf_adds(why, "a plugin changed");
    else if (!same_member(now, last, "country_table"))
        hz_strbuf_adds(why, "the country table changed");
    else if (!same_list(now, last, "inputs", input_keys, 3))
        hz_strbuf_adds(why, "an input changed");
    else if (!all_inputs_hashed(now))
        hz_strbuf_adds(why, "an input cannot be compared (it is not a file)");
    else
        same = outputs_as_published(last, why);
    json_decref(now);
    return same;
}
