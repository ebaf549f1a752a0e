#!/usr/bin/env python3
"""Draws docs/scaling.svg from docs/scaling.csv (ScalingBenchmark's output), with the standard library only.

Two log-log panels: seconds and peak heap (MB) against input size, one line per axis (statements,
principals, policies, requests). Refused sizes (over a documented limit) are left out of the lines and
listed under the plot.  Usage: python3 docs/scaling-plot.py [CSV] [SVG]
"""
import csv
import math
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "docs/scaling.csv"
dst = sys.argv[2] if len(sys.argv) > 2 else "docs/scaling.svg"

series, refused = {}, []
with open(src, newline="") as f:
    for row in csv.DictReader(f):
        if row["seconds"] in ("refused", "out-of-memory"):
            refused.append(f'{row["axis"]} {int(row["size"]):,}: {row["seconds"]}')
            continue
        series.setdefault(row["axis"], []).append(
            (int(row["size"]), float(row["seconds"]), float(row["peak_mb"])))

colours = {"statements": "#1b9e77", "principals": "#d95f02", "policies": "#7570b3", "requests": "#e7298a"}
W, H, PAD = 460, 340, 60


def panel(x0, title, value, unit):
    pts = [(n, value(p)) for s in series.values() for p in s for n in [p[0]]]
    xs = [math.log10(n) for n, _ in pts]
    ys = [math.log10(max(v, 1e-3)) for _, v in pts]
    xmin, xmax = math.floor(min(xs)), math.ceil(max(xs))
    ymin, ymax = math.floor(min(ys)), math.ceil(max(ys))

    def px(n):
        return x0 + PAD + (math.log10(n) - xmin) / (xmax - xmin) * (W - 2 * PAD)

    def py(v):
        return H - PAD + 20 - (math.log10(max(v, 1e-3)) - ymin) / max(1, ymax - ymin) * (H - 2 * PAD)

    out = [f'<text x="{x0 + W / 2}" y="24" text-anchor="middle" font-weight="bold">{title}</text>']
    for e in range(xmin, xmax + 1):
        x = px(10 ** e)
        out.append(f'<line x1="{x:.1f}" y1="{py(10 ** ymin):.1f}" x2="{x:.1f}" y2="{py(10 ** ymax):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{py(10 ** ymin) + 16:.1f}" text-anchor="middle" font-size="11">1e{e}</text>')
    for e in range(ymin, ymax + 1):
        y = py(10 ** e)
        out.append(f'<line x1="{px(10 ** xmin):.1f}" y1="{y:.1f}" x2="{px(10 ** xmax):.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{px(10 ** xmin) - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{10.0 ** e:g}</text>')
    out.append(f'<text x="{x0 + W / 2}" y="{H + 12}" text-anchor="middle" font-size="12">input size (items of the axis)</text>')
    out.append(f'<text x="{x0 + 14}" y="{H / 2}" font-size="12" transform="rotate(-90 {x0 + 14} {H / 2})" '
               f'text-anchor="middle">{unit}</text>')
    for name, s in series.items():
        d = " ".join(f'{px(p[0]):.1f},{py(value(p)):.1f}' for p in sorted(s))
        out.append(f'<polyline fill="none" stroke="{colours.get(name, "#000")}" stroke-width="2" points="{d}"/>')
        for p in s:
            out.append(f'<circle cx="{px(p[0]):.1f}" cy="{py(value(p)):.1f}" r="3" fill="{colours.get(name, "#000")}"/>')
    return out


body = panel(0, "time (s)", lambda p: p[1], "seconds") + panel(W, "peak heap (MB)", lambda p: p[2], "MB")
legend_y = H + 36
for i, name in enumerate(series):
    x = 70 + i * 150
    body.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{colours.get(name, "#000")}"/>')
    body.append(f'<text x="{x + 18}" y="{legend_y}" font-size="12">{name}</text>')
if refused:
    body.append(f'<text x="70" y="{legend_y + 22}" font-size="11">refused (over a limit): {"; ".join(refused)}</text>')
svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H + 80}" font-family="sans-serif">'
       f'<rect width="100%" height="100%" fill="white"/>' + "".join(body) + "</svg>\n")
with open(dst, "w") as f:
    f.write(svg)
print(f"wrote {dst}")
