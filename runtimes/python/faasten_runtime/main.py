"""Entry point of a Faasten VM:

    /usr/bin/python3 -I -S -B /runtime/faasten_runtime/main.py [SOCKET [WORKLOAD]]
    /usr/bin/python3 -I -S -B /runtime/faasten_runtime/main.py --template CONTROL WORKLOAD TMP_BYTES

Connects to the host's channel socket, imports the workload (default /srv/workload.py), then
serves invocations until the host closes the channel. With --template it becomes a VM
template instead (template.py), which forks pre-initialized VMs.
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

if __name__ == "__main__":
    if sys.argv[1:2] == ["--template"]:
        from faasten_runtime.template import serve_template

        sys.exit(serve_template(sys.argv[2:]))
    from faasten_runtime.vm import serve

    sys.exit(serve(sys.argv[1:]))
