#!/usr/bin/python3
"""Issue 17: the committed grid of a calibration world: labelled blocks of the first 48 images of each folder.
usage: grid.py OUT.png LABEL=FOLDER ..."""
import glob, sys
from PIL import Image, ImageDraw

cols, side, margin = 24, 64, 150
blocks = [arg.split('=', 1) for arg in sys.argv[2:]]
rows = sum(2 for _ in blocks)
sheet = Image.new('RGB', (margin + cols * side, rows * side + 4 * len(blocks)), 'white')
draw = ImageDraw.Draw(sheet)
y = 0
for label, folder in blocks:
    files = sorted(glob.glob(folder + '/*.png'))[:48]
    for i, f in enumerate(files):
        sheet.paste(Image.open(f).convert('RGB').resize((side, side)), (margin + (i % cols) * side, y + (i // cols) * side))
    draw.multiline_text((6, y + 40), label.replace('|', '\n'), fill='black')
    y += 2 * side + 4
sheet.save(sys.argv[1])
