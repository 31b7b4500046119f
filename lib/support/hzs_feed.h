/* hzs_feed.h - a source's input file, checked at plan time. */
#ifndef HZS_FEED_H
#define HZS_FEED_H
#include <harmonize/plugin.h>

/* Open `path` and close it again, reading nothing, so that `harmonize
 * validate` and --dry-run already report a feed that is missing,
 * unreadable or a folder.  0, or -1 after reporting with hz->error() (the
 * path as messages show it). */
int hzs_feed_check(hz_component *c, const char *path);
#endif
