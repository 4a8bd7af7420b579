#!/bin/bash
# The README's main command: installs what is needed, then boots Xen in QEMU and runs our `xl create -c dom01` live.
# usage: tests/lab/demo.sh [--shell]   (--shell: an interactive dom0 instead)
# First run: ~5 min (builds the cached dom0 image); later runs: ~1 min.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
"$TOP/scripts/install-deps.sh"
exec "$TOP/tests/lab/lab.sh" demo "$@"
