/* cmd_save.c: xl save, restore, migrate and migrate-receive. */
#include "xl.h"
