"""Colour profiles: a picture is converted to sRGB, so its profile can be left out of the copy.

An embedded ICC profile is metadata like any other (its description is free text), yet a
photo taken in Display P3 or Adobe RGB looks washed out when its profile is simply dropped.
Converting the pixels to sRGB, the colour space a JPEG without a profile is read in, keeps
the colours and lets the copy carry no profile at all.
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def to_srgb(image: Image.Image) -> Image.Image:
    """`image` converted from its embedded profile to sRGB; `image` itself when it has no
    profile or one littlecms cannot apply (the pixels are then kept as they are)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image
