/* Memory layout constants shared by the entry assembly and C: how many harts
 * the runtime can host and how big each hart's stack is. */
#ifndef RT_LAYOUT_H
#define RT_LAYOUT_H

/* septa gives a VM at most 8 vCPUs; hart ids at or above this park forever. */
#define RT_MAX_HARTS 8
/* Each hart gets 1 << RT_STACK_SHIFT bytes (16 KiB) of stack. */
#define RT_STACK_SHIFT 14

#endif
