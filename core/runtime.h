/* Running a planned pipeline and publishing its outputs (runtime.c). */
#ifndef HZ_RUNTIME_H
#define HZ_RUNTIME_H
#include "pipeline.h"

/* Stream everything, then publish in two phases: every sink prepared
 * before any commits.  Returns 0 on success (every sink committed), 1 on
 * failure (nothing published, or, when a commit failed, the summary says
 * which outputs were). */
int hz_pipeline_run(hz_pipeline *p);

/* `harmonize test`: run the pipeline with its inline sources, showing
 * every batch and reject to p->test; no sink is opened, written, prepared
 * or committed, and nothing (journal, state, manifest) is written.
 * Returns 0, or 1 when the run failed (the reason is printed). */
int hz_pipeline_run_test(hz_pipeline *p);

/* Named output `index` of c (0-based): its batch, made on first use. */
hz_batch *hz_component_output_batch(hz_component *c, size_t index);
/* Abort every opened sink: called by the out-of-memory path, so a run that
 * cannot go on leaves no temporary output behind. */
void hz_pipeline_abort_outputs(hz_pipeline *p);

/* Send one rejected record to the rejects sink (or stderr): fields of
 * batch b (NULL: a source's raw fields), personal values screened. */
void hz_reject_record(hz_component *c, const hz_batch *b, hz_origin origin, const hz_field *fields, size_t n,
                      const char *reason, const char *detail);
#endif
