/* The run's feeds as a sink sees them (hz->feed_count, hz->feed_info, ABI
 * 1.4): once every row is read, each feed with the SHA-256 and size the
 * manifest records for it. */
#ifndef HZ_FEED_INFO_H
#define HZ_FEED_INFO_H
#include <harmonize/plugin.h>

#include "pipeline.h"

/* Every row is read: wait for the inputs' hashes (input_hash.h) and keep
 * each feed's, so that sinks can ask from prepare() on.  Called once,
 * before the first prepare(). */
void hz_feeds_settle(hz_pipeline *p);

size_t hz_host_feed_count(hz_component *c);
int hz_host_feed_info(hz_component *c, size_t i, hz_feed_info *out);
#endif
