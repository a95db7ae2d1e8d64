#ifndef FLOWREL_CYAML_SHIM_H
#define FLOWREL_CYAML_SHIM_H
#include <yaml.h>
#endif
