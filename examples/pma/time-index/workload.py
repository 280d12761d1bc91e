# time-index: files a photo under <index>:<year>:<month>:<day>:<hour> by its EXIF
# DateTimeOriginal, or by the upload time the caller passes, as a hard link (no copy).
import datetime

from PIL import Image

EXIF_DATETIME_ORIGINAL = 36867
EXIF_DATETIME = 306


def taken_at(cloudcall, photo, uploaded):
    with cloudcall.fs_openblob(photo) as blob:
        exif = Image.open(blob).getexif()
    raw = exif.get_ifd(0x8769).get(EXIF_DATETIME_ORIGINAL) or exif.get(EXIF_DATETIME)
    if raw:
        try:
            return datetime.datetime.strptime(raw, "%Y:%m:%d %H:%M:%S")
        except ValueError:
            pass
    if uploaded:
        return datetime.datetime.fromisoformat(uploaded)
    return datetime.datetime.now(datetime.timezone.utc)


def handle(event, cloudcall):
    photo = event["photo"]
    when = taken_at(cloudcall, photo, event.get("uploaded"))
    cloudcall.endorse()  # index directories carry the app's integrity
    path = event["index_dir"]
    for part in ("%04d" % when.year, "%02d" % when.month, "%02d" % when.day, "%02d" % when.hour):
        path = "%s:%s" % (path, part)
        try:
            cloudcall.fs_createdir(path)
        except cloudcall.Exists:
            pass
    link = "%s:%s" % (path, photo.split(":")[-1])
    try:
        cloudcall.fs_hardlink(photo, link)
    except cloudcall.Exists:
        pass
    return {"indexed": link, "taken": when.isoformat()}
