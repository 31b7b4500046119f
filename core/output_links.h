/* Symbolic links at an output's path.  A sink never writes through a link
 * nor replaces it: someone who can put a link where an output goes (or an
 * old link nobody remembers) would otherwise have the run overwrite the
 * file it points to, or create one where it points.  `follow_symlinks:
 * true` on a sink is the administrator saying the link is meant: the
 * sink's path options are then resolved to the link's final target, which
 * is written (and replaced atomically) while the link stays. */
#ifndef HZ_OUTPUT_LINKS_H
#define HZ_OUTPUT_LINKS_H
#include "pipeline.h"

/* The file `path` leads to when its last component is a link (followed
 * until it is not: the folders on the way are taken as they are), as a new
 * string; `path` itself when it is no link.  NULL (errno ELOOP) for a
 * loop. */
char *hz_link_final_target(const char *path);

/* Why `path` may not be written by `c` (NULL: the core's manifest), as a
 * new string, or NULL when it is no symbolic link.  E.g. "out/x.csv is a
 * symbolic link (to /etc/passwd): refusing to write through it; set
 * follow_symlinks: true on the sink to write to its target". */
char *hz_output_link_problem(const hz_pipeline *p, const hz_component *c, const char *path);
#endif
