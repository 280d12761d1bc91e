# gen-thumb: the tutorial function of docs/tutorial.md (seed 000's code, typos fixed).
# Reads the photo blob at event["input"] and writes one JPEG thumbnail per entry of
# event["sizes"] (largest first: thumbnail() shrinks the image in place) into
# event["output_dir"], named "<width>-<height>.jpeg" after the requested box.
from io import BytesIO

from PIL import Image


def handle(event, cloudcall):
    download_path = event['input']
    output_dir = event['output_dir']
    sizes = event['sizes']
    with cloudcall.fs_openblob(download_path) as blob:
        img = Image.open(blob)
        for size in sizes:
            img.thumbnail(tuple(size))
            buff = BytesIO()
            img.save(buff, format='JPEG')
            thumbnail_name = '-'.join(str(n) for n in size) + '.jpeg'
            upload_path = ':'.join([output_dir, thumbnail_name])
            try:
                cloudcall.fs_delete(upload_path)  # a thumbnail made before is replaced
            except cloudcall.NotFound:
                pass
            with cloudcall.create_blob(upload_path) as newblob:
                newblob.finalize(buff.getvalue())
    return {}
