/* The shared side of the fuzz targets (see harness.h). */
#define _XOPEN_SOURCE 700
#include "harness.h"
#include "graph.h"
#include "host.h"
#include "runtime.h"
#include "summary.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef HZ_FUZZ_PLUGIN_DIR
#define HZ_FUZZ_PLUGIN_DIR "plugins/.libs"
#endif

static char *scratch;
static hz_registry *registry;
static hz_vars vars;
static FILE *sink;

static void die(const char *what, const char *detail) {
    fprintf(stderr, "harmonize fuzz: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void remove_scratch(void) {
    if (scratch) nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(scratch);
    scratch = NULL;
}

/* A target that crashes (which is what it is for) never removes its
 * folder, hence the pid in the name: folders of processes that are gone
 * are removed by the next target to start. */
static void remove_stale(const char *base) {
    DIR *d = opendir(base);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid;
        char rest;
        if (sscanf(e->d_name, "hz-fuzz.%ld.%c", &pid, &rest) != 2 || pid <= 0) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
        char *path = hz_xasprintf("%s/%s", base, e->d_name);
        nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(path);
    }
    closedir(d);
}

/* Every input is written to a file, so the folder should be in memory:
 * /dev/shm unless TMPDIR says otherwise. */
static char *make_scratch(void) {
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    remove_stale(base);
    char *dir = hz_xasprintf("%s/hz-fuzz.%ld.XXXXXX", base, (long)getpid());
    if (!mkdtemp(dir)) die("cannot make a scratch folder", strerror(errno));
    return dir;
}

static void load_plugins(void) {
    hz_diag diag = {0};
    /* $HARMONIZE_PLUGIN_PATH is read by the registry itself; the built-in
     * folder is only named when it is not set. */
    const char *env = getenv("HARMONIZE_PLUGIN_PATH");
    const char *const builtin[] = {HZ_FUZZ_PLUGIN_DIR};
    registry = hz_registry_load(builtin, env && *env ? 0 : 1, &diag);
    if (diag.errors) {
        hz_diag_print(&diag, stderr);
        die("the plugins did not load", NULL);
    }
    hz_diag_free(&diag);
    if (!hz_registry_find(registry, "csv"))
        die("no csv plugin found; set HARMONIZE_PLUGIN_PATH to the build's plugins/.libs",
            env && *env ? env : HZ_FUZZ_PLUGIN_DIR);
}

void hz_fuzz_setup(void) {
    if (registry) return;
    scratch = make_scratch();
    atexit(remove_scratch);
    load_plugins();
    /* HZ_FUZZ_VERBOSE=1 shows what harmonize would print, to see what
     * an input does when replayed. */
    const char *verbose = getenv("HZ_FUZZ_VERBOSE");
    sink = verbose && *verbose && strcmp(verbose, "0") ? stderr : fopen("/dev/null", "w");
    if (!sink) die("cannot open /dev/null", strerror(errno));
    hz_vars_set(&vars, "feeds=.");
    hz_vars_set(&vars, "country=germany");
}

void hz_fuzz_teardown(void) {
    hz_registry_free(registry);
    registry = NULL;
    hz_vars_free(&vars);
    if (sink && sink != stderr) fclose(sink);
    sink = NULL;
    remove_scratch();
}

const char *hz_fuzz_dir(void) {
    return scratch;
}

char *hz_fuzz_path(const char *name) {
    return hz_xasprintf("%s/%s", scratch, name);
}

void hz_fuzz_write(const char *name, const void *data, size_t size) {
    char *path = hz_fuzz_path(name);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        die("cannot write the input file", path);
    free(path);
}

const hz_registry *hz_fuzz_registry(void) {
    return registry;
}

const hz_vars *hz_fuzz_vars(void) {
    return &vars;
}

FILE *hz_fuzz_sink(void) {
    return sink;
}

/* The core reports a plugin that fails without saying why as a
 * configuration error (graph.c); for the fuzzer that is a bug like a
 * crash.  Matched in full, since user text (a path) can hold any words. */
static void check_plugin_bugs(const hz_pipeline *p, const hz_diag *diag) {
    for (size_t i = 0; p && i < p->ncomps; i++) {
        const hz_component *c = p->comps[i];
        if (!c->plugin || !c->plan_failed) continue;
        char *bug = hz_xasprintf("%s %s '%s' failed to start without saying why (a plugin bug)",
                                 c->plugin->desc->name, hz_role_name(c->role), c->name);
        for (size_t k = 0; k < diag->count; k++)
            if (!strcmp(diag->entries[k].message, bug)) {
                fprintf(stderr, "harmonize fuzz: %s\n", bug);
                abort();
            }
        free(bug);
    }
}

int hz_fuzz_pipeline(hz_document *doc, const char *file, hz_mode mode) {
    hz_diag diag = {0};
    hz_document *loaded = NULL;
    if (!doc) doc = loaded = hz_document_load(file, &vars, &diag);
    /* The pipeline's plugin_path is parsed as harmonize parses it, but the
     * folders are not loaded: a fuzzed path would dlopen any library on
     * the machine.  The registry loaded once stands for them. */
    size_t npath = 0;
    char **path = hz_pipeline_plugin_path(doc, file, &npath, &diag);
    for (size_t i = 0; i < npath; i++) free(path[i]);
    free(path);

    hz_pipeline *p = NULL;
    if (doc && !doc->root && !diag.errors)
        hz_diag_add(&diag, HZ_DIAG_ERROR, file, 0, 0, "empty pipeline: it starts with 'version: 1'");
    if (doc && doc->root) {
        p = hz_pipeline_build(doc, file, registry, &diag, mode);
        hz_graph_check(p);
        hz_graph_order_sources(p);
        hz_graph_plan(p);
    }
    check_plugin_bugs(p, &diag);
    int status = 0;
    if (diag.errors)
        status = 2; /* found before the run: a configuration error, as cli_run.c says */
    else if (mode == HZ_MODE_RUN)
        status = hz_pipeline_run(p);
    hz_diag_print(&diag, sink);
    if (p && mode == HZ_MODE_RUN && !diag.errors) hz_pipeline_print_summary(p, sink, 0.0, status);
    hz_pipeline_free(p);
    hz_document_free(loaded);
    hz_diag_free(&diag);
    return status;
}

static hz_document *fixed_doc;
static char *fixed_file;

static void free_fixed(void) {
    hz_document_free(fixed_doc);
    free(fixed_file);
}

hz_document *hz_fuzz_load_fixed(const char *name, const char *yaml, const char **file) {
    hz_fuzz_write(name, yaml, strlen(yaml));
    fixed_file = hz_fuzz_path(name);
    hz_diag diag = {0};
    fixed_doc = hz_document_load(fixed_file, hz_fuzz_vars(), &diag);
    if (diag.errors || !fixed_doc || !fixed_doc->root) {
        hz_diag_print(&diag, stderr);
        fprintf(stderr, "fuzz: the target's own pipeline %s does not load\n", name);
        abort();
    }
    hz_diag_free(&diag);
    atexit(free_fixed);
    *file = fixed_file;
    return fixed_doc;
}
