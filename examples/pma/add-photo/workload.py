# add-photo: links an uploaded photo into the owner's private photo library and asks
# gen-thumb and time-index to derive from it. Runs with privilege <user>/pma: it can write
# the app's private facet home:<user,user/pma> but cannot declassify anything of <user>.
import os


def user_of(cloudcall):
    # The privilege is "<user>/pma"; the user is its first token.
    return cloudcall.get_privilege().split("/")[0]


def ensure_dir(cloudcall, path):
    try:
        cloudcall.fs_createdir(path)
    except cloudcall.Exists:
        pass


def handle(event, cloudcall):
    user = user_of(cloudcall)
    source = event["photo"]
    name = event.get("name") or source.split(":")[-1]
    app = "home:<%s,%s/pma>" % (user, user)
    gates = "home:<T,%s>:pma" % user

    # The app vouches for what it writes: endorsing raises the integrity to <user>/pma, so
    # the library's directories and entries are writable only with that privilege.
    cloudcall.endorse()
    for d in ("photos", "thumbs", "time"):
        ensure_dir(cloudcall, "%s:%s" % (app, d))
    photo = "%s:photos:%s" % (app, name)
    # Linked by path: the monitor reads the upload (tainting us with its label) and checks
    # the new entry's label; a bare hash would not be accepted (it is no capability).
    # Adding a photo again (the same name) replaces the library's entry.
    try:
        cloudcall.fs_delete(photo)
    except cloudcall.NotFound:
        pass
    cloudcall.fs_linkblob(photo, source)

    thumbs = cloudcall.invoke(gates + ":gen-thumb", {
        "input": photo,
        "output_dir": app + ":thumbs",
        "prefix": os.path.splitext(name)[0],
        "sizes": event.get("sizes", [[128, 128], [64, 64]]),
    })
    index = cloudcall.invoke(gates + ":time-index", {
        "photo": photo,
        "index_dir": app + ":time",
        "uploaded": event.get("uploaded"),
    })
    return {"photo": photo, "thumbnails": thumbs, "index": index}
