"""Entry point of a Faasten VM:

    /usr/bin/python3 -I -B /runtime/faasten_runtime/main.py [SOCKET [WORKLOAD]]

Connects to the host's channel socket, imports the workload (default /srv/workload.py), then
serves invocations until the host closes the channel.
"""

import os
import sys

# -I keeps the script's directory off sys.path; the package's parent is what belongs there.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from faasten_runtime.vm import serve  # noqa: E402

if __name__ == "__main__":
    sys.exit(serve(sys.argv[1:]))
