#ifndef FLOWREL_CZLIB_SHIM_H
#define FLOWREL_CZLIB_SHIM_H
#include <zlib.h>
#endif
