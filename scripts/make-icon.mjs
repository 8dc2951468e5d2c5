// Draws assets/icon.png (1024×1024): a receipt on a dark rounded tile. Run once; the PNG is committed.
import { PNG } from 'pngjs';
import { writeFileSync } from 'node:fs';

const size = 1024;
const png = new PNG({ width: size, height: size });
const set = (x, y, [r, g, b, a]) => {
  const i = (y * size + x) * 4;
  png.data[i] = r;
  png.data[i + 1] = g;
  png.data[i + 2] = b;
  png.data[i + 3] = a;
};
const inRounded = (x, y, x0, y0, x1, y1, r) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = x < x0 + r ? x0 + r : x > x1 - r ? x1 - r : x;
  const cy = y < y0 + r ? y0 + r : y > y1 - r ? y1 - r : y;
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    let color = [0, 0, 0, 0];
    if (inRounded(x, y, 64, 64, 960, 960, 180)) color = [29, 35, 48, 255];
    // receipt paper with a zig-zag bottom edge
    const zig = 40 - Math.abs(((x - 300) % 80) - 40);
    if (x >= 300 && x <= 724 && y >= 200 && y <= 780 + zig) color = [250, 250, 245, 255];
    // printed lines
    const line = (y0, x0, x1) => y >= y0 && y < y0 + 26 && x >= x0 && x <= x1;
    if (line(280, 350, 674) || line(360, 350, 600) || line(420, 350, 640) || line(480, 350, 560))
      color = [60, 66, 80, 255];
    // total bar in the training yellow
    if (y >= 580 && y < 640 && x >= 350 && x <= 674) color = [255, 212, 59, 255];
    set(x, y, color);
  }
}
writeFileSync('assets/icon.png', PNG.sync.write(png));
console.log('wrote assets/icon.png');
