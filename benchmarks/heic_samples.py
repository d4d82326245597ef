"""Real HEIC/HEIF files from phones and from libheif's edge cases, through load_image: each is read or refused with
a sentence, never an unhandled error.

    .venv/bin/pip download pillow-heif==1.9.0 --no-binary :all: --no-deps -d /tmp/ph
    tar xzf /tmp/ph/pillow_heif-1.9.0.tar.gz -C /tmp/ph
    .venv/bin/python benchmarks/heic_samples.py /tmp/ph/pillow_heif-1.9.0/tests/images

The folder is pillow-heif's own test pictures (its source package; Basin neither bundles nor trains on them):
photos from an iPhone (12 MP, rotated by the file, a spatial photo), a Nokia and a Xiaomi phone, a burst, stereo
pairs, a 200-megapixel bomb, damaged, truncated and empty files, mismatched thumbnails, odd metadata. Every
.heic, .heif and .hif file under it is read; prints one line per file (size, time, the result) and the totals.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.data.images import load_image  # noqa: E402
from core.errors import InputError  # noqa: E402


def main():
    folder = Path(sys.argv[1])
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".heic", ".heif", ".hif"))
    counts = {"read": 0, "refused": 0, "unhandled": 0}
    for path in files:
        data = path.read_bytes()
        start = time.perf_counter()
        try:
            im = load_image(data)
            result, kind = f"{im.mode} {im.size[0]} × {im.size[1]}", "read"
        except InputError as err:
            result, kind = f"refused: {err}", "refused"
        except Exception as err:  # noqa: BLE001  (what this script looks for)
            result, kind = f"UNHANDLED {type(err).__name__}: {err}", "unhandled"
        counts[kind] += 1
        ms = (time.perf_counter() - start) * 1000
        print(f"| {path.relative_to(folder)} | {len(data) / 1024:,.0f} kB | {ms:.0f} ms | {result[:110]} |")
    print(f"\n{len(files)} files: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


if __name__ == "__main__":
    main()
