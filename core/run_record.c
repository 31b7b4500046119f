/* A run's record in the state folder, and the published manifest (see
 * run_record.h). */
#define _XOPEN_SOURCE 700
#include "run_record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "claims.h"
#include "file_mode.h"
#include "input_hash.h"
#include "journal.h"
#include "manifest.h"
#include "summary.h"

static json_t *staged_manifest; /* built before the commit, finished at the end */

void hz_count_reason(hz_pipeline *p, const char *reason) {
    for (size_t i = 0; i < p->nreasons; i++)
        if (!strcmp(p->reasons[i].reason, reason)) {
            p->reasons[i].rows++;
            return;
        }
    p->reasons = hz_xrealloc(p->reasons, (p->nreasons + 1) * sizeof *p->reasons);
    p->reasons[p->nreasons++] = (hz_reason_count){hz_xstrdup(reason), 1};
}

void hz_run_record_plan(hz_pipeline *p) {
    if (p->manifest_off) return;
    if (!p->manifest_path) {
        for (size_t i = 0; i < hz_claims_count(p) && !p->manifest_path; i++) {
            const char *path = hz_claim_get(p, i, NULL, NULL);
            if (!path) continue;
            const char *slash = strrchr(path, '/');
            p->manifest_path = hz_xasprintf("%.*s/manifest.json", (int)(slash - path), path);
        }
        if (!p->manifest_path) return; /* no file output: the state folder's copy only */
    }
    if (hz_claims_check_extra(p, p->manifest_path, "the manifest", p->manifest_at) != 0) {
        free(p->manifest_path);
        p->manifest_path = NULL;
    }
}

int hz_run_record_begin(hz_pipeline *p) {
    char *runs = hz_xasprintf("%s/runs", p->state_dir);
    p->run_dir = hz_xasprintf("%s/%s", runs, p->run_id);
    int rc = 0;
    /* 0777: the umask the run set (file_mode.h) makes it the folder mode. */
    if ((mkdir(runs, 0777) != 0 && errno != EEXIST) || mkdir(p->run_dir, 0777) != 0) {
        fprintf(stderr, "harmonize: cannot make the run's record folder %s: %s\n", p->run_dir,
                strerror(errno));
        rc = -1;
    }
    free(runs);
    if (rc != 0) return -1;
    char *log = hz_xasprintf("%s/rejects.csv", p->run_dir);
    /* Every rejected row, with people's data: the run's mode, exactly. */
    int fd = open(log, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, hz_core_mode(p));
    FILE *f = fd >= 0 && hz_file_mode_set_fd(fd, hz_core_mode(p)) == 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(stderr, "harmonize: cannot write %s: %s\n", log, strerror(errno));
        if (fd >= 0) close(fd);
        free(log);
        return -1;
    }
    free(log);
    fputs("component,feed,line,reason,detail,record\n", f);
    p->reject_log = f;
    p->last_success = hz_manifest_last_success(p->state_dir);
    /* The inputs' hashes for the manifest, on the other core meanwhile. */
    char **paths = hz_xcalloc(p->nfeeds ? p->nfeeds : 1, sizeof *paths);
    for (size_t i = 0; i < p->nfeeds; i++)
        paths[i] = p->feeds[i].path ? realpath(p->feeds[i].path, NULL) : NULL;
    p->input_hashes = hz_input_hashes_start((const char *const *)paths, p->nfeeds);
    for (size_t i = 0; i < p->nfeeds; i++) free(paths[i]);
    free(paths);
    return 0;
}

/* One CSV field of the log: quoted as the CSV sink quotes. */
static void csv_field(FILE *f, const char *s, bool last) {
    hz_strbuf b = {0};
    hz_csv_quote(&b, s, strlen(s));
    fwrite(b.data ? b.data : "", 1, b.len, f);
    fputc(last ? '\n' : ',', f);
    hz_strbuf_free(&b);
}

void hz_run_record_reject(hz_pipeline *p, const char *component, const char *feed, uint64_t line,
                          const char *reason, const char *detail, const char *record) {
    FILE *f = p->reject_log;
    char num[24];
    snprintf(num, sizeof num, "%llu", (unsigned long long)line);
    const char *fields[] = {component, feed, num, reason, detail, record};
    for (size_t i = 0; i < 6; i++) csv_field(f, fields[i], i == 5);
}

int hz_run_record_stage_manifest(hz_pipeline *p) {
    json_decref(staged_manifest);
    staged_manifest = hz_manifest_build(p, true);
    if (!p->manifest_path) return 0;
    mode_t core_mask = umask(0777);
    umask(core_mask);
    const char *temp = hz_journal_stage(p, NULL, p->manifest_path); /* sets the umask for it */
    int fd = temp ? open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666) : -1;
    umask(core_mask);
    if (!temp) return -1;
    int rc = fd < 0 ? -1 : hz_manifest_write_fd(staged_manifest, fd);
    if (fd >= 0 && close(fd) != 0) rc = -1;
    if (rc != 0) {
        hz_diag_now(p->diag, HZ_DIAG_ERROR, "cannot write the manifest %s (temporary file %s): %s",
                    p->manifest_path, temp, strerror(errno));
        return -1;
    }
    p->manifest_temp = hz_xstrdup(temp);
    return 0;
}

void hz_run_record_publish_manifest(hz_pipeline *p) {
    if (!p->manifest_temp) return;
    if (!p->failed && rename(p->manifest_temp, p->manifest_path) == 0) {
        hz_sync_folder_of(p->manifest_path);
    } else if (!p->failed) {
        hz_diag_now(p->diag, HZ_DIAG_ERROR, "cannot publish the manifest %s: %s", p->manifest_path,
                    strerror(errno));
        p->failed = true;
    }
    free(p->manifest_temp);
    p->manifest_temp = NULL;
}

static void remove_record(const char *dir) {
    static const char *const files[] = {"manifest.json", "summary.txt", "rejects.csv"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *f = hz_xasprintf("%s/%s", dir, files[i]);
        unlink(f);
        free(f);
    }
    rmdir(dir);
}

/* Keep the newest keep_runs records. */
static void prune(hz_pipeline *p) {
    size_t n;
    char **ids = hz_run_ids(p->state_dir, &n);
    for (size_t i = 0; i + (size_t)p->keep_runs < n; i++) {
        char *dir = hz_xasprintf("%s/runs/%s", p->state_dir, ids[i]);
        remove_record(dir);
        free(dir);
    }
    hz_run_ids_free(ids, n);
}

void hz_run_record_end(hz_pipeline *p, int status, double seconds) {
    if (!p->run_dir) return;
    FILE *log = p->reject_log;
    p->reject_log = NULL;
    bool keep_rejects = p->total_rejects && (status != 0 || !p->nrejects);
    char *rejects = hz_xasprintf("%s/rejects.csv", p->run_dir);
    if (log && fclose(log) != 0) keep_rejects = false;
    if (!keep_rejects) unlink(rejects);
    char *summary = hz_xasprintf("%s/summary.txt", p->run_dir);
    int fd = open(summary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, hz_core_mode(p));
    FILE *f = fd >= 0 && hz_file_mode_set_fd(fd, hz_core_mode(p)) == 0 ? fdopen(fd, "w") : NULL;
    if (!f && fd >= 0) close(fd);
    if (f) {
        hz_pipeline_print_summary(p, f, seconds, status);
        fclose(f);
    }
    json_t *m = staged_manifest ? staged_manifest : hz_manifest_build(p, false);
    staged_manifest = NULL;
    hz_manifest_finish(m, p, status, seconds);
    char *manifest = hz_xasprintf("%s/manifest.json", p->run_dir);
    if (hz_manifest_write(m, manifest, hz_core_mode(p)) != 0)
        fprintf(stderr, "harmonize: cannot write %s: %s\n", manifest, strerror(errno));
    json_decref(m);
    if (status != 0)
        fprintf(stderr, "harmonize: this run's record (summary, manifest%s): %s/\n",
                keep_rejects ? ", every rejected row" : "", p->run_dir);
    else if (keep_rejects && p->rejects_unwritten > 20)
        fprintf(stderr, "harmonize: all %llu rejected rows: %s\n", (unsigned long long)p->total_rejects,
                rejects);
    prune(p);
    hz_input_hashes_free(p->input_hashes);
    p->input_hashes = NULL;
    json_decref(p->last_success);
    p->last_success = NULL;
    free(rejects);
    free(summary);
    free(manifest);
}
