/* The graph of a pipeline: inputs resolved to streams, its shape checked,
 * its order, every component created and planned (graph.c). */
#ifndef HZ_GRAPH_H
#define HZ_GRAPH_H
#include "pipeline.h"

/* Resolve inputs, check the graph's shape, order it, then create and plan
 * every component (schemas).  Errors go to diag. */
void hz_graph_check(hz_pipeline *p);
void hz_graph_plan(hz_pipeline *p);
/* Make `to` read `from` in its input slot `slot`. */
void hz_stream_add_consumer(hz_stream *from, hz_component *to, size_t slot);
/* The order sources are read in (see graph.c). */
void hz_graph_order_sources(hz_pipeline *p);
#endif
