# The README's picture of the paper study at quick size: for seed 0 of each condition, the first four images
# of D_0 (iteration 0) and of iterations 1-6, as 2 x 2 tiles. Usage: python3 grid.py SWEEP_DIR OUT.png
import os, sys
from PIL import Image, ImageDraw

sweep, out = sys.argv[1], sys.argv[2]
rows = [('CFG 1', 'paper-quick-cfg1.0-seed0'), ('CFG 2.5', 'paper-quick-cfg2.5-seed0'),
        ('CFG 7.5', 'paper-quick-cfg7.5-seed0'), ('CFG 10', 'paper-quick-cfg10-seed0'),
        ('ReDiFine', 'paper-quick-redifine-seed0'), ('drop only', 'paper-quick-drop-only-seed0'),
        ('schedule only', 'paper-quick-schedule-only-seed0')]
iterations = range(7)
tile, gap, label_width, header = 64, 6, 110, 22
cell = 2 * tile
width = label_width + len(iterations) * (cell + gap)
height = header + len(rows) * (cell + gap)
grid = Image.new('RGB', (width, height), 'white')
draw = ImageDraw.Draw(grid)
for c, k in enumerate(iterations):
    draw.text((label_width + c * (cell + gap) + cell // 2 - 20, 5), 'D_0' if k == 0 else f'iter {k}', fill='black')
for r, (label, chain) in enumerate(rows):
    y = header + r * (cell + gap)
    draw.text((5, y + cell // 2 - 6), label, fill='black')
    for c, k in enumerate(iterations):
        x = label_width + c * (cell + gap)
        for i in range(4):
            image = Image.open(os.path.join(sweep, chain, f'iter_{k}', 'images', f'{i:04d}.png')).convert('RGB').resize((tile, tile))
            grid.paste(image, (x + (i % 2) * tile, y + (i // 2) * tile))
grid.save(out)
