/* hzs_fs.h - the folder of an output file: its name, and making it. */
#ifndef HZS_FS_H
#define HZS_FS_H
#include <harmonize/plugin.h>

/* The folder holding `path`: what comes before its last '/' ("/" for a
 * file at the root), or "." when it has none.  Release with free(). */
char *hzs_dirname(const char *path);

/* mkdir -p of the folder holding `path`, with mode 0777 less the umask
 * (which the core sets around a sink's calls so that a folder gets the
 * sink's file_mode plus x where it has r: 0750 by default): a cron job writing to out/ should not fail the
 * first time because out/ does not exist yet.  0, or -1 after reporting with hz->error() (a folder that
 * cannot be made, or a file where a folder should be), with paths as messages show them. */
int hzs_make_parents(hz_component *c, const char *path);
#endif
