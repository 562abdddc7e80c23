/**
 * The HTML report's stylesheet: readable tables, charts one under another, print-friendly. The
 * column is as wide as a 1280 px window allows; every table sits in a box of its own that scrolls
 * sideways when the table is wider still, so the page itself never does.
 */
export const REPORT_CSS = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.2rem; }
.meta { color: #666; font-size: 0.9rem; }
.warn { background: #fff4e5; border-left: 4px solid #f0a020; padding: 0.4rem 0.8rem; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 0.5rem 0; }
th, td { padding: 0.25rem 0.4rem; border-bottom: 1px solid #e4e4e4; text-align: left; white-space: nowrap; }
th { background: #f6f6f6; white-space: normal; vertical-align: bottom; }
td.wrap { white-space: normal; min-width: 14rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #f9fbff; }
.bound { color: #c0392b; font-weight: bold; cursor: help; }
.notes { font-size: 0.9rem; }
figure.chart { margin: 1.5rem 0; overflow-x: auto; }
details summary { cursor: pointer; margin: 0.5rem 0; }
.scroll { overflow-x: auto; max-width: 100%; }
details.flame { border-top: 1px solid #eee; padding-top: 0.3rem; }
details.flame > summary { font-weight: bold; }
figure.flame { margin: 0.5rem 0; min-height: 2rem; }
img.flame-static { max-width: 100%; }
code { font-size: 0.9em; }
`;
