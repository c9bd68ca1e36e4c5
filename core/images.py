"""The one upload pipeline for images: checked, upright, stripped of EXIF/GPS/XMP, renditions.

Release images, mission images and the pressroom logo all go through it, wherever they are
uploaded: ``clean_upload()`` checks a file and returns a clean copy to store, and
``make_renditions()`` makes the WebP and JPEG sizes a page offers through ``<picture>``.
"""

import posixpath
import warnings
from io import BytesIO
from pathlib import PurePosixPath
from xml.sax.saxutils import escape

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, PngImagePlugin, UnidentifiedImageError

# Limits of an uploaded image: bytes on disk, and pixels once decoded (a small
# file can decode to gigabytes).
MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000

# Pillow format name → file extension of the stored original.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_WIDTHS = (480, 960, 1600)
RENDITION_FORMATS = {"webp": "WEBP", "jpeg": "JPEG"}


def check_image(upload):
    """Refuse anything but a decodable JPEG, PNG or WebP within the limits; return its format."""
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the largest accepted is %(limit)s."),
            code="too-big",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_IMAGE_BYTES)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; treat that as too big, too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in IMAGE_FORMATS:
                    raise ValidationError(
                        _("Upload a JPEG, PNG or WebP image; this file is %(format)s."),
                        code="format",
                        params={"format": image.format},
                    )
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(image.width, image.height)
                image.load()
                image_format = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            _(
                "This file is not an image the pressroom can read. Upload a photo or "
                "graphic as JPEG, PNG or WebP."
            ),
            code="not-an-image",
        ) from error
    finally:
        upload.seek(0)
    return image_format


def _too_many_pixels(width=None, height=None):
    if width is None:
        return ValidationError(
            _("The image has too many pixels; the largest accepted is %(limit)s megapixels."),
            code="too-many-pixels",
            params={"limit": MAX_IMAGE_PIXELS // 1_000_000},
        )
    return ValidationError(
        _(
            "The image is %(width)s × %(height)s pixels; the largest accepted is "
            "%(limit)s megapixels. Make it smaller and upload it again."
        ),
        code="too-many-pixels",
        params={"width": width, "height": height, "limit": MAX_IMAGE_PIXELS // 1_000_000},
    )


def clean_upload(upload):
    """Check ``upload`` and return the copy to store: upright, without location or camera data."""
    return cleaned_original(upload, check_image(upload))


def cleaned_original(upload, image_format):
    """The upload turned upright and re-encoded without EXIF, GPS or XMP data, as a file."""
    upload.seek(0)
    with Image.open(upload) as original:
        icc_profile = _rgb_profile(original)
        upright = ImageOps.exif_transpose(original)
        pixels = _without_metadata(upright, image_format)
    stem = PurePosixPath(get_valid_filename(PurePosixPath(upload.name).name) or "image").stem
    name = f"{stem[:80]}.{IMAGE_FORMATS[image_format]}"
    return ContentFile(_encode(pixels, image_format, quality=92, icc_profile=icc_profile), name)


def _rgb_profile(image):
    """The colour profile worth keeping: an RGB one (others no longer fit once converted)."""
    return image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None


def _without_metadata(image, image_format):
    """A new image holding only the pixels: no EXIF, XMP, text chunks or comments."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha and image_format != "JPEG" else "RGB"
    converted = image.convert("RGBA" if has_alpha else "RGB")
    if mode == "RGB" and has_alpha:
        background = Image.new("RGB", converted.size, "white")
        background.paste(converted, mask=converted.getchannel("A"))
        converted = background
    fresh = Image.new(mode, converted.size)
    fresh.paste(converted)
    return fresh


def _encode(image, image_format, quality, icc_profile=None):
    buffer = BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format in ("JPEG", "WEBP"):
        options["quality"] = quality
    if image_format == "JPEG":
        options["optimize"] = True
        image = image.convert("RGB")
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def rendition_widths(original_width, widths=RENDITION_WIDTHS):
    """The widths to make for an image: the standard ones it exceeds, or its own if smaller."""
    widths = [width for width in widths if width < original_width]
    return widths or [original_width]


def make_renditions(stored, widths=RENDITION_WIDTHS):
    """Make the WebP and JPEG renditions of the stored image ``stored``; return their list.

    Each entry is ``{"width": 480, "format": "webp", "name": "path/in/storage"}``.
    """
    folder, stem = posixpath.dirname(stored), PurePosixPath(stored).stem
    renditions = []
    with default_storage.open(stored, "rb") as file, Image.open(file) as original:
        icc_profile = _rgb_profile(original)
        source = original.convert("RGBA" if original.mode == "RGBA" else "RGB")
    for width in rendition_widths(source.width, widths):
        height = max(1, round(source.height * width / source.width))
        resized = source.resize((width, height), Image.Resampling.LANCZOS)
        for suffix, image_format in RENDITION_FORMATS.items():
            pixels = _without_metadata(resized, image_format)
            content = _encode(pixels, image_format, quality=82, icc_profile=icc_profile)
            extension = IMAGE_FORMATS[image_format]
            name = default_storage.save(
                f"{folder}/{stem}-{width}.{extension}", ContentFile(content)
            )
            renditions.append({"width": width, "format": suffix, "name": name})
    return renditions


def srcset(renditions, image_format):
    """``url 480w, url 960w`` for one format's renditions."""
    return ", ".join(
        f"{default_storage.url(r['name'])} {r['width']}w"
        for r in renditions
        if r["format"] == image_format
    )


def fallback_url(renditions, original, max_width=960):
    """The JPEG rendition for browsers without srcset: the widest up to ``max_width``."""
    jpegs = sorted((r for r in renditions if r["format"] == "jpeg"), key=lambda r: r["width"])
    fitting = [r for r in jpegs if r["width"] <= max_width] or jpegs
    if not fitting:
        return original.url
    return default_storage.url(fitting[-1]["name"])


def delete_files_on_commit(names):
    """Remove stored files once the change that dropped them is committed."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


class ImageUploadField(forms.FileField):
    """A form field that takes a new image only through the pipeline: checked and cleaned.

    Its own checks give clearer messages than Django's ``ImageField``.
    """

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None or upload is False or upload is initial:
            return upload
        return clean_upload(upload)


# Rights metadata in downloads

_CHUNK = 64 * 1024
_XMP_NAMESPACE = b"http://ns.adobe.com/xap/1.0/\x00"


def with_rights(file, *, credit, licence, licence_url="", caption=""):
    """The stored image in ``file`` with its credit and licence written into it, in chunks.

    EXIF Artist and Copyright (UTF-8, as current readers take it) and an XMP packet
    (Dublin Core creator, rights and description; the IPTC credit line; the licence's
    address). The pipeline stored the file without any metadata, so nothing else is
    in it. A JPEG is sent as stored, with the two segments put after its start marker,
    so no pixel is encoded again and the file is never held in memory whole; PNG and
    WebP are written again with Pillow (PNG losslessly).
    """
    exif = Image.Exif()
    if credit:
        exif[0x013B] = credit.encode()  # Artist
    exif[0x8298] = f"{credit}. {licence}".lstrip(". ").encode()  # Copyright
    if caption:
        exif[0x010E] = caption.encode()  # ImageDescription
    xmp = xmp_packet(credit=credit, licence=licence, licence_url=licence_url, caption=caption)
    head = file.read(2)
    if head == b"\xff\xd8":
        yield head
        yield _jpeg_segment(0xE1, exif.tobytes())
        yield _jpeg_segment(0xE1, _XMP_NAMESPACE + xmp)
        while chunk := file.read(_CHUNK):
            yield chunk
        return
    with Image.open(BytesIO(head + file.read())) as image:
        image.load()
        options = {"exif": exif, "icc_profile": image.info.get("icc_profile")}
        if image.format == "PNG":
            info = PngImagePlugin.PngInfo()
            info.add_itxt("XML:com.adobe.xmp", xmp.decode())
            options["pnginfo"] = info
        else:
            options.update(xmp=xmp, quality=92)
        buffer = BytesIO()
        image.save(buffer, image.format, **{k: v for k, v in options.items() if v})
    yield buffer.getvalue()


def _jpeg_segment(marker, payload):
    if len(payload) > 65533:
        raise ValueError("A JPEG segment holds at most 65533 bytes.")
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload


def xmp_packet(*, credit, licence, licence_url="", caption=""):
    """An XMP packet naming the image's creator (the credit), rights and description."""

    def alt(text):
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'

    parts = [
        f"<dc:creator><rdf:Seq><rdf:li>{escape(credit)}</rdf:li></rdf:Seq></dc:creator>"
        if credit
        else "",
        f"<dc:rights>{alt(licence)}</dc:rights>",
        f"<xmpRights:UsageTerms>{alt(licence)}</xmpRights:UsageTerms>",
        f"<photoshop:Credit>{escape(credit)}</photoshop:Credit>" if credit else "",
        f"<xmpRights:WebStatement>{escape(licence_url)}</xmpRights:WebStatement>"
        if licence_url
        else "",
        f"<dc:description>{alt(caption)}</dc:description>" if caption else "",
    ]
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        f"{''.join(parts)}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="r"?>'
    ).encode()
