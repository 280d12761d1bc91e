# share-photo: the one privileged step of the app. Runs with the owner's full privilege
# (gate clearance = the owner, so only the owner can ask) and links one photo and its
# thumbnails into home:<owner|friend,owner>:shared, which the friend may read and nobody
# else. Nothing is copied; the blobs get new, explicitly wider labels.
import re


def handle(event, cloudcall):
    owner = cloudcall.get_privilege().split("/")[0]
    friend = event["with"]
    name = event["photo"]
    stem = name.rsplit(".", 1)[0]
    app = "home:<%s,%s/pma>" % (owner, owner)
    shared_label = "%s|%s,%s" % (owner, friend, owner)
    shared = "home:<%s>:shared" % shared_label

    # Exactly this photo's thumbnails (gen-thumb names them <stem>-<w>x<h>.jpeg): a looser
    # match would also share those of "beach-2.jpg" when asked for "beach.jpg".
    thumbnail = re.compile(re.escape(stem) + r"-[0-9]+x[0-9]+\.jpeg")
    targets = [("photos:" + name, name)]
    for entry in cloudcall.fs_list(app + ":thumbs"):
        if thumbnail.fullmatch(entry):
            targets.append(("thumbs:" + entry, entry))

    # Linking by path reads each entry (tainting us with the owner's secrecy) and writes a new
    # entry labeled owner|friend: a write down that only the owner's privilege allows (L ⊑_P l,
    # DESIGN §3 rule 3), which is exactly the sharing decision.
    try:
        cloudcall.fs_createdir(shared, label=shared_label)
    except cloudcall.Exists:
        pass
    linked = []
    for source, target in targets:
        path = "%s:%s" % (shared, target)
        try:
            cloudcall.fs_linkblob(path, "%s:%s" % (app, source), label=shared_label)
        except cloudcall.Exists:
            pass
        linked.append(path)
    return {"shared": linked, "label": shared_label}
