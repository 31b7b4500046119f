/* The run summary on stderr (summary.c). */
#ifndef HZ_SUMMARY_H
#define HZ_SUMMARY_H
#include <stdio.h>

#include "pipeline.h"

void hz_pipeline_print_summary(hz_pipeline *p, FILE *out, double seconds, int status);
/* --quiet after a failure: the summary's first line and what was published
 * (nothing, unless a commit failed after others), without the table. */
void hz_pipeline_print_failure(hz_pipeline *p, FILE *out, double seconds);
#endif
