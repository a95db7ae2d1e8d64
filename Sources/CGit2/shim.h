#ifndef FLOWREL_CGIT2_SHIM_H
#define FLOWREL_CGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/mempack.h>
#endif
