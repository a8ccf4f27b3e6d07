#!/usr/bin/python3
"""Issue 17: one hash of a chain's D_0 by what it holds (each image's RGB pixels and its caption, in file order),
so two chains drawn from the same data agree even though each PNG names its own chain in its metadata.
usage: d0hash.py CHAIN_DIR"""
import glob, hashlib, sys
from PIL import Image

h = hashlib.sha256()
for png in sorted(glob.glob(sys.argv[1] + '/iter_0/images/*.png')):
    h.update(Image.open(png).convert('RGB').tobytes())
    h.update(open(png[:-4] + '.txt', 'rb').read())
print(h.hexdigest())
