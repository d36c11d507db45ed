"""Results and weights on disk, as netCDF.

Files are written to a temporary name beside the target and renamed into
place, so that an interrupted write never leaves a half-written file.
Nothing is ever loaded with pickle.
"""

from __future__ import annotations

import glob
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import xarray as xr

from ..exceptions import DataError
from .record import network_attr, provenance, weights_from_dataset, weights_to_dataset

__all__ = ["atomic", "check_destination", "save", "load", "save_weights", "load_weights"]

ENGINE = "netcdf4"


@contextmanager
def atomic(path):
    """Yield a temporary path beside ``path``; once the block has written it,
    rename it to ``path``.  If the block fails, nothing is left behind; a
    temporary file that a killed process left for the same target is
    removed first."""
    path = check_destination(path)
    _remove_stale(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise DataError(f"{path}: cannot write there ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        yield tmp
        # mkstemp makes the file private; give it the permissions of any new file.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise DataError(f"{path}: could not be written ({exc.strerror or exc})") from None
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def check_destination(path, suffixes=None):
    """``path`` as a Path if a file can be written there: its folder exists,
    and it is absent or a regular file (not a folder, a link or a device);
    with ``suffixes``, its name ends with one of them."""
    path = Path(path)
    if not path.parent.is_dir():
        raise DataError(f"{path}: folder {path.parent} does not exist")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise DataError(f"{path}: exists and is not a regular file; choose another name")
    if suffixes and path.suffix not in suffixes:
        raise DataError(f"{path}: the name must end with {' or '.join(suffixes)}")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise DataError(f"{path}: folder {path.parent} is not writable")
    return path


def _remove_stale(path):
    """Remove temporary files for ``path`` whose writing process is gone."""
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*-*{glob.escape(path.suffix)}"):
        pid = tmp.name[len(path.name) + 2:].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except PermissionError:  # another user's live process
            pass


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save(ds, path):
    """Write ``ds`` to the netCDF file ``path`` atomically."""
    with atomic(path) as tmp:
        ds.to_netcdf(tmp, engine=ENGINE)
    return Path(path)


def load(path):
    """Read a results file written by :func:`save` into memory."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file")
    try:
        with xr.open_dataset(path, engine=ENGINE) as ds:
            return ds.load()
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: not a readable netCDF file ({exc})") from None


def save_weights(path, network, weights):
    """Write ``network``'s parameters (a mapping as from :meth:`Network.init_weights`)."""
    network.check_weights(weights)
    ds = weights_to_dataset(network, weights)
    ds.attrs = provenance(network=network_attr(network))
    return save(ds, path)


def load_weights(path, network=None):
    """Read parameters saved by :func:`save_weights` or stored in a results file.

    Returns
    -------
    network : Network
        ``network``, or the one the file describes.
    weights : dict of str to ndarray
    """
    try:
        return weights_from_dataset(load(path), network)
    except DataError:
        raise
    except Exception as exc:
        raise DataError(f"{path}: {exc}") from None
