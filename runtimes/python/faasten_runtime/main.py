"""Entry point of a Faasten VM:

    /usr/bin/python3 -I -S -B /runtime/faasten_runtime/main.py [SOCKET [WORKLOAD]]

Connects to the host's channel socket, imports the workload (default /srv/workload.py), then
serves invocations until the host closes the channel.
"""

import os
import sys

# -I keeps the script's directory off sys.path; the package's parent is what belongs there.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# -S skips `site`: no .pth hooks of the host run inside VMs, and startup is shorter. The
# interpreter's package directories (protobuf, PIL, ...) are added here instead, as is.
_version = f"{sys.version_info[0]}.{sys.version_info[1]}"
for _directory in (
    f"{sys.prefix}/local/lib/python{_version}/dist-packages",
    f"{sys.prefix}/lib/python3/dist-packages",
    f"{sys.prefix}/lib/python{_version}/dist-packages",
    f"{sys.prefix}/lib/python{_version}/site-packages",
):
    if os.path.isdir(_directory):
        sys.path.append(_directory)

from faasten_runtime.vm import serve  # noqa: E402

if __name__ == "__main__":
    sys.exit(serve(sys.argv[1:]))
