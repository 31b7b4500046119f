/* The host table handed to plugins (host.c). */
#ifndef HZ_HOST_H
#define HZ_HOST_H
#include <harmonize/plugin.h>

/* The host table given to plugins. */
const hz_host *hz_host_table(void);
#endif
