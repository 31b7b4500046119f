/* What the fuzz targets share: a private scratch folder, the plugin
 * registry loaded once, and a pipeline file taken through the core's own
 * steps (load, build, check, plan, and for some targets run).
 *
 * Each target defines LLVMFuzzerInitialize and LLVMFuzzerTestOneInput.
 * Linked with -fsanitize=fuzzer they are libFuzzer programs; linked with
 * replay_main.c they replay files, without libFuzzer (make check). */
#ifndef HZ_FUZZ_HARNESS_H
#define HZ_FUZZ_HARNESS_H
#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Make the scratch folder and load the plugins (once; later calls do
 * nothing).  Plugins come from $HARMONIZE_PLUGIN_PATH when it is set, else
 * from the build's plugins/.libs.  Exits with a message when there is no
 * csv plugin to be found: a target without plugins tests nothing. */
void hz_fuzz_setup(void);
/* Free the registry (replay only: libFuzzer exits without returning). */
void hz_fuzz_teardown(void);

/* The scratch folder (absolute). */
const char *hz_fuzz_dir(void);
/* `name` inside the scratch folder; the string is the caller's to free. */
char *hz_fuzz_path(const char *name);
/* Write `size` bytes to `name` in the scratch folder (replacing it). */
void hz_fuzz_write(const char *name, const void *data, size_t size);

const hz_registry *hz_fuzz_registry(void);
/* The vars every target expands ${...} with, as if given with --set. */
const hz_vars *hz_fuzz_vars(void);
/* Where diagnostics and summaries are printed: formatted, then dropped,
 * unless HZ_FUZZ_VERBOSE=1 asks for them on stderr. */
FILE *hz_fuzz_sink(void);

/* A target that runs one fixed pipeline on each input: write `yaml` to
 * `name` in the scratch folder and load it once (freed at exit); a pipeline
 * that does not load is the target's bug (aborts).  *file is its path. */
hz_document *hz_fuzz_load_fixed(const char *name, const char *yaml, const char **file);

/* Take pipeline `file` through what `harmonize validate` (mode
 * HZ_MODE_VALIDATE) or `harmonize run` (HZ_MODE_RUN) does; returns the
 * exit status harmonize would give (0, 1 or 2).  `doc` is the file
 * already loaded (kept, not freed), or NULL to load it now, with the
 * vars of hz_fuzz_vars(). */
int hz_fuzz_pipeline(hz_document *doc, const char *file, hz_mode mode);
#endif
