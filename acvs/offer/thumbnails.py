"""Thumbnails of offer photos: small JPEGs kept in MEDIA_ROOT, made in the background when a photo is added.

Booklets (PDF and web) read them; a missing one is made on demand, so a page never lacks its picture.
The file name depends on the photo's file and the size, so a new size makes new files.
"""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.tasks import task
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from acvs.core import jobs
from acvs.network import rules

from .models import OfferPhoto

FOLDER = "thumbs"
SIZE = (800, 800)


def thumbnail_name(photo: OfferPhoto) -> str:
    digest = hashlib.sha1(f"{photo.image.name}:{SIZE[0]}x{SIZE[1]}".encode()).hexdigest()[:24]
    return f"{FOLDER}/{digest[:2]}/{digest}.jpg"


def thumbnail(photo: OfferPhoto, *, make: bool = True) -> tuple[Path, str] | None:
    """(path, url) of the photo's thumbnail, made now if missing and `make`; None without a readable photo file."""
    if not photo.image.name:
        return None
    relative = thumbnail_name(photo)
    target = Path(settings.MEDIA_ROOT) / relative
    if not target.exists():
        source = Path(settings.MEDIA_ROOT) / photo.image.name
        if not make or not source.exists():
            return None
        from PIL import Image

        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed: a reader never sees half a file, two makers never clash.
        partial = target.with_suffix(f".{secrets.token_hex(4)}.part")
        try:
            with Image.open(source) as image:
                image = image.convert("RGB")
                image.thumbnail(SIZE)
                image.save(partial, "JPEG", quality=78, optimize=True)
        except OSError:  # not a picture Pillow can read: shown without it
            partial.unlink(missing_ok=True)
            return None
        partial.replace(target)
    return target, settings.MEDIA_URL + relative


def thumbnail_remove(photo: OfferPhoto) -> None:
    if photo.image.name:
        (Path(settings.MEDIA_ROOT) / thumbnail_name(photo)).unlink(missing_ok=True)


def thumbnails_make_missing(job, progress) -> str:
    """Make every missing thumbnail (the job's work): a retry after a crash goes on where it stopped."""
    photos = OfferPhoto.objects.order_by("pk").only("pk", "image")
    total = photos.count()
    made = missing = 0
    progress(0, total)
    for done, photo in enumerate(photos.iterator(chunk_size=500), start=1):
        if thumbnail(photo, make=False) is None:
            if thumbnail(photo) is None:
                missing += 1
            else:
                made += 1
        progress(done, total)
    message = _("%(made)s thumbnails made, %(total)s photos checked.") % {"made": made, "total": total}
    if missing:
        message += " " + ngettext(
            "%(count)s photo has no readable file.", "%(count)s photos have no readable file.", missing
        ) % {"count": missing}
    return message


@task
def thumbnail_make(photo_id: int) -> bool:
    photo = OfferPhoto.objects.filter(pk=photo_id).only("pk", "image").first()
    return photo is not None and thumbnail(photo) is not None


@task(priority=-10)
def thumbnails_rebuild(job_id: int) -> str:
    return jobs.run_job(job_id, thumbnails_make_missing)


REBUILD = jobs.register(
    jobs.JobKind(
        name="offer.thumbnails",
        label=gettext_lazy("Photo thumbnails"),
        task=thumbnails_rebuild,
        may_start=lambda membership, target: rules.is_network_admin(membership),
    )
)
