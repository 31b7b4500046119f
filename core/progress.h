/* Progress of the sources on a terminal (progress.c): one line on stderr
 * for the source being read, redrawn in place at most four times a second,
 * e.g. "reading offices_global: 123,456 rows  45,600 rows/s  37%", and
 * cleared before anything else is written to stderr. */
#ifndef HZ_PROGRESS_H
#define HZ_PROGRESS_H
#include <stdbool.h>

#include "pipeline.h"

/* Whether to draw: never with --quiet or --log-format json; else `forced`
 * 1 (--progress) or 0 (--no-progress), or -1: when stderr is a terminal
 * (not TERM=dumb). */
void hz_progress_setup(int forced, bool quiet, bool json);
bool hz_progress_enabled(void);

/* The runtime's hooks around read_source(): before the first read(),
 * after each batch (draws when the last drawing is 1/4 s old), and at the
 * end (clears the line, then logs source_done with --log-format json). */
void hz_progress_source_start(hz_component *c);
void hz_progress_batch(hz_component *c);
void hz_progress_source_end(hz_component *c);

/* Erase the line, if one is drawn: call before writing anything else to
 * stderr, so a message never lands after half a progress line. */
void hz_progress_clear(void);
#endif
