# gen-thumb (photo-management flavour): writes one JPEG thumbnail per requested size next
# to the others, named <prefix>-<w>x<h>.jpeg. Everything it writes carries the label it was
# tainted to by reading the photo, endorsed with the app's privilege.
from io import BytesIO

from PIL import Image


def handle(event, cloudcall):
    written = []
    with cloudcall.fs_openblob(event["input"]) as blob:
        original = Image.open(blob)
        original.load()
    cloudcall.endorse()  # thumbnails carry the app's integrity, like the rest of the library
    for size in event["sizes"]:
        img = original.copy()
        img.thumbnail(tuple(size))
        buff = BytesIO()
        img.convert("RGB").save(buff, format="JPEG")
        name = "%s-%dx%d.jpeg" % (event["prefix"], size[0], size[1])
        path = ":".join([event["output_dir"], name])
        try:
            cloudcall.fs_delete(path)  # a thumbnail made before is replaced
        except cloudcall.NotFound:
            pass
        with cloudcall.create_blob(path) as newblob:
            newblob.finalize(buff.getvalue())
        written.append({"path": path, "width": img.width, "height": img.height})
    return written
