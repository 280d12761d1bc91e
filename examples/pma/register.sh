#!/usr/bin/env bash
# Registers the photo-management app for one user: usage `register.sh USER`, run while
# logged in as USER (fstn login, or FSTN_TOKEN). Idempotent: running it again updates the
# gates with freshly built images.
#
# What it creates, and why these labels:
#   home:<T,USER>:pma:add-photo    privilege USER/pma  clearance USER      (USER starts it)
#   home:<T,USER>:pma:gen-thumb    privilege USER/pma  clearance USER/pma  (add-photo calls it)
#   home:<T,USER>:pma:time-index   privilege USER/pma  clearance USER/pma  (add-photo calls it)
#   home:<T,USER>:pma:share-photo  privilege USER      clearance USER      (the one privileged step)
#   home:<USER,USER>:inbox         where USER uploads photos for add-photo
# The app's data lives in the facet home:<USER,USER/pma> (photos, thumbs, time): secret to
# USER, and writable only with USER/pma. USER/pma cannot declassify USER's secrecy, so
# nothing but share-photo can move a photo out of that facet.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 USER   (run while logged in as USER)" >&2
    exit 2
fi
user=$1
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

if ! command -v fstn >/dev/null 2>&1 && ! declare -F fstn >/dev/null; then
    fstn() { dotnet "$repo/src/Faasten.Cli/bin/Release/net10.0/fstn.dll" "$@"; }
fi

whoami_line=$(fstn whoami)
case "$whoami_line" in
    "$user "*) ;;
    *) echo "$0: logged in as '${whoami_line%% *}', not '$user' (fstn login --user $user)" >&2; exit 1 ;;
esac

public="home:<T,$user>"
# -p: an existing directory is the idempotent case.
fstn mkdir -p "$public:pma" --label "T,$user"
fstn mkdir -p "home:<$user,$user>:inbox"

register() {
    local name=$1 privilege=$2 clearance=$3
    fstn register "$here/$name" "$public:pma:$name" --privilege "$privilege" --clearance "$clearance" --label "T,$user"
}
register add-photo "$user/pma" "$user"
register gen-thumb "$user/pma" "$user/pma"
register time-index "$user/pma" "$user/pma"
register share-photo "$user" "$user"
