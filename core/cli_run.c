/* `harmonize run` and `harmonize validate`: load, check, plan, then run. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_args.h"
#include "file_mode.h"
#include "lock.h"
#include "pipeline.h"
#include "graph.h"
#include "journal.h"
#include "manifest.h"
#include "run_record.h"
#include "log_json.h"
#include "runtime.h"
#include "summary.h"

typedef struct run_args {
    const char *file;
    hz_vars vars;
    int dry_run, quiet;
    int if_changed;       /* --if-changed: skip a run that would redo the last */
    int log_json;         /* --log-format json */
    int progress;         /* --progress 1, --no-progress 0, neither -1 */
    double wait;          /* --wait SECONDS: for another run's lock */
    unsigned timeout;     /* --timeout SECONDS: the run's limit */
    hz_cli_shared shared; /* --set (into vars), --plugin-path, --allow-insecure-plugins */
} run_args;

static int usage_error(const char *fmt, const char *arg) {
    fputs("harmonize: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (try: harmonize --help)\n", stderr);
    return 2;
}

static int parse_args(int argc, char **argv, int validate_only, run_args *a) {
    a->shared.vars = &a->vars;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int taken = hz_cli_take_shared(argc, argv, &i, &a->shared, "harmonize --help");
        if (taken == 2) return 2;
        if (taken) continue;
        if ((!strcmp(arg, "--wait") || !strncmp(arg, "--wait=", 7)) && !validate_only) {
            const char *val = arg[6] == '=' ? arg + 7 : (i + 1 < argc ? argv[++i] : NULL);
            char *end = NULL;
            a->wait = val ? strtod(val, &end) : -1;
            if (!val || end == val || *end || a->wait < 0 || a->wait > 86400 * 7)
                return usage_error("--wait needs a number of seconds (0 to 604800), not '%s'",
                                   val ? val : "");
        } else if ((!strcmp(arg, "--timeout") || !strncmp(arg, "--timeout=", 10)) && !validate_only) {
            const char *val = arg[9] == '=' ? arg + 10 : (i + 1 < argc ? argv[++i] : NULL);
            char *end = NULL;
            unsigned long n = val ? strtoul(val, &end, 10) : 0;
            if (!val || end == val || *end || n == 0 || n > 86400 * 7)
                return usage_error("--timeout needs a whole number of seconds (1 to 604800), not '%s'",
                                   val ? val : "");
            a->timeout = (unsigned)n;
        } else if (!strcmp(arg, "--if-changed") && !validate_only) {
            a->if_changed = 1;
        } else if ((!strcmp(arg, "--log-format") || !strncmp(arg, "--log-format=", 13)) && !validate_only) {
            const char *val = arg[12] == '=' ? arg + 13 : (i + 1 < argc ? argv[++i] : NULL);
            if (!val || (strcmp(val, "text") && strcmp(val, "json")))
                return usage_error("--log-format needs text or json, not '%s'", val ? val : "");
            a->log_json = !strcmp(val, "json");
        } else if ((!strcmp(arg, "--progress") || !strcmp(arg, "--no-progress")) && !validate_only) {
            a->progress = !strcmp(arg, "--progress");
        } else if (!strcmp(arg, "--dry-run") && !validate_only) {
            a->dry_run = 1;
        } else if ((!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) && !validate_only) {
            a->quiet = 1;
        } else if (!strcmp(arg, "--help")) {
            exit(hz_print_command_help(argv[0]));
        } else if (arg[0] == '-' && arg[1]) {
            return usage_error("unknown option '%s'", arg);
        } else if (a->file) {
            return usage_error("one pipeline file at a time ('%s' is one too many)", arg);
        } else {
            a->file = arg;
        }
    }
    if (!a->file) return usage_error("%s: which pipeline file?", validate_only ? "validate" : "run");
    return 0;
}

static void print_plan(hz_pipeline *p) {
    printf("pipeline '%s': %zu components\n", p->name ? p->name : p->file, p->norder);
    for (size_t i = 0; i < p->norder; i++) {
        hz_component *c = p->order[i];
        printf("  %s %s (%s)", hz_role_name(c->role), c->name, c->plugin->desc->name);
        if (c->ninputs) {
            printf(" <-");
            for (size_t k = 0; k < c->ninputs; k++) {
                const hz_stream *s = c->input_streams[k];
                printf(" %s%s%s", s->owner->name, s->name ? "." : "", s->name ? s->name : "");
            }
        }
        if (c->schema) {
            printf(": ");
            for (size_t k = 0; k < c->schema->count; k++) printf("%s%s", k ? ", " : "", c->schema->names[k]);
        }
        putchar('\n');
    }
}

/* --if-changed: the pipeline, its inputs and plugins are those of the last
 * run that published, and its outputs are still as that run left them. */
static bool unchanged_since_last_success(hz_pipeline *p, const char *state) {
    json_t *last = hz_manifest_last_success(state);
    if (!last) return false;
    hz_strbuf why = {0};
    bool same = hz_manifest_unchanged(p, last, &why);
    if (same)
        fprintf(
            stderr,
            "harmonize: nothing changed since run %s (pipeline, plugins, inputs and outputs as they were): "
            "not run\n",
            json_string_value(json_object_get(last, "run_id")));
    hz_strbuf_free(&why);
    json_decref(last);
    return same;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* UTC start time and pid: sorts by time, and names the process. */
static void make_run_id(char *buf, size_t size) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(buf, size, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(buf + n, size - n, "-%ld", (long)getpid());
}

/* `harmonize recover FILE`: finish or discard what a killed run of FILE
 * left, as the next run would at its start, and nothing else. */
int hz_cmd_recover(int argc, char **argv) {
    run_args a = {0};
    int status = parse_args(argc, argv, 0, &a);
    if (status != 0) goto out;
    hz_diag diag = {0};
    hz_document *doc = hz_document_load(a.file, &a.vars, &diag);
    char *state = doc && doc->root ? hz_pipeline_state_dir(doc, a.file, &diag) : NULL;
    if (!state || diag.errors) {
        hz_diag_print(&diag, stderr);
        status = 2;
    } else {
        /* The state folder's files get the pipeline's file_mode, else
         * 0640, whatever the umask (file_mode.h). */
        mode_t mode = HZ_FILE_MODE_DEFAULT;
        const hz_value *given = hz_value_get(doc->root, "file_mode");
        if (given) {
            char why[256];
            hz_file_mode_parse(given, &mode, why, sizeof why); /* a bad one leaves the default */
        }
        hz_file_mode_umask(mode);
        int locked;
        int lock_fd = hz_lock_take(state, a.file, a.wait, mode, &locked);
        if (lock_fd < 0) {
            status = locked ? HZ_EXIT_LOCKED : 1;
        } else {
            status = hz_journal_recover(state) == 0 ? 0 : 1;
            close(lock_fd);
        }
    }
    free(state);
    hz_document_free(doc);
    hz_diag_free(&diag);
out:
    hz_vars_free(&a.vars);
    for (size_t i = 0; i < a.shared.nplugin_dirs; i++) free(a.shared.plugin_dirs[i]);
    free(a.shared.plugin_dirs);
    return status;
}

int hz_cmd_run(int argc, char **argv, int validate_only) {
    run_args a = {.progress = -1};
    int status = parse_args(argc, argv, validate_only, &a);
    if (status != 0) goto out_args;
    hz_log_setup(a.log_json ? HZ_LOG_FORMAT_JSON : HZ_LOG_FORMAT_TEXT, a.quiet, a.progress);

    double start = now();
    hz_diag diag = {0};
    hz_mode mode = validate_only ? HZ_MODE_VALIDATE : a.dry_run ? HZ_MODE_DRY_RUN : HZ_MODE_RUN;
    hz_document *doc = hz_document_load(a.file, &a.vars, &diag);
    char *state = doc && doc->root ? hz_pipeline_state_dir(doc, a.file, &diag) : NULL;
    int lock_fd = -1;
    size_t npath = 0;
    char **path = hz_pipeline_plugin_path(doc, a.file, &npath, &diag);
    path = hz_xrealloc(path, (npath + a.shared.nplugin_dirs + 1) * sizeof *path);
    for (size_t i = 0; i < a.shared.nplugin_dirs; i++) path[npath++] = hz_xstrdup(a.shared.plugin_dirs[i]);
    /* Nothing is loaded yet: building the pipeline loads the plugins its
     * components name, and no other. */
    hz_registry *reg = hz_registry_new((const char *const *)path, npath, a.shared.allow_insecure_plugins);
    hz_pipeline *p = NULL;
    if (doc && !doc->root && !diag.errors)
        hz_diag_add(&diag, HZ_DIAG_ERROR, a.file, 0, 0, "empty pipeline: it starts with 'version: 1'");
    if (doc && doc->root) {
        p = hz_pipeline_build(doc, a.file, reg, &diag, mode);
        hz_graph_check(p);
        hz_graph_order_sources(p);
        hz_graph_plan(p);
        hz_run_record_plan(p);
    }
    if (diag.errors) {
        hz_diag_print(&diag, stderr);
        /* Found before the run starts (the file, its plugins, a feed
         * planning cannot open or whose header is wrong): 2, whatever the
         * command, so validate, run --dry-run and run agree; only what
         * goes wrong once the run reads and writes is 1 (README "Exit
         * status"). */
        status = 2;
        if (!hz_log_json()) /* JSON: run_end counts them */
            fprintf(stderr, "harmonize: %zu error%s in %s\n", diag.errors, diag.errors == 1 ? "" : "s",
                    a.file);
    } else {
        if (diag.count) hz_diag_print(&diag, stderr); /* warnings */
        if (validate_only) {
            printf("%s: ok\n", a.file);
        } else if (a.dry_run) {
            print_plan(p);
        } else {
            /* One run at a time: the lock is taken once the pipeline is
             * known to be sound (a refused one writes nothing, not even
             * its state folder) and held until the process exits. */
            /* From here on every file and folder the run creates gets its
             * mode whatever the umask the run was started with
             * (file_mode.h): the core's own under this umask, a sink's
             * under its own, set around its calls. */
            hz_file_mode_umask(hz_core_mode(p));
            int locked;
            lock_fd = hz_lock_take(state, a.file, a.wait, hz_core_mode(p), &locked);
            if (lock_fd < 0) {
                status = locked ? HZ_EXIT_LOCKED : 1;
                goto done;
            }
            /* A run killed before us may have left a publication half
             * done: finish it or discard it before staging anything. */
            if (hz_journal_recover(state) != 0) {
                status = 1;
                goto done;
            }
            if (a.if_changed && unchanged_since_last_success(p, state)) goto done;
            char run_id[64];
            make_run_id(run_id, sizeof run_id);
            p->run_id = run_id;
            p->state_dir = hz_xstrdup(state);
            p->journal = hz_journal_begin(state, run_id, hz_core_mode(p));
            if (!p->journal) {
                status = 1;
                goto done;
            }
            p->started_at = hz_wall_clock();
            if (hz_run_record_begin(p) != 0) {
                hz_journal_end(p->journal, p);
                p->journal = NULL;
                status = 1;
                goto done;
            }
            p->timeout = a.timeout;
            hz_log_run_start(p);
            status = hz_pipeline_run(p);
            hz_log_run_report(p, now() - start, status); /* the summary, or JSON events */
            hz_run_record_end(p, status, now() - start);
        }
    }
done:
    if (mode == HZ_MODE_RUN) hz_log_run_end(p, a.file, now() - start, status);
    hz_log_finish();
    hz_pipeline_free(p);
    hz_registry_free(reg);
    hz_document_free(doc);
    for (size_t i = 0; i < npath; i++) free(path[i]);
    free(path);
    hz_diag_free(&diag);
    free(state);
    if (lock_fd >= 0) close(lock_fd); /* lets the next run in */
out_args:
    hz_vars_free(&a.vars);
    for (size_t i = 0; i < a.shared.nplugin_dirs; i++) free(a.shared.plugin_dirs[i]);
    free(a.shared.plugin_dirs);
    return status;
}
