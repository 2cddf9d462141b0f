// reports/html_style.cpp: the report's CSS (no '<' or '&', so it is valid
// character data in XHTML as well as HTML).
#include "reports/html_style.hpp"

namespace roomsim::reports {

const char* const kHtmlStyle = R"CSS(
:root { --fg: #1c2833; --muted: #5d6d7e; --line: #d5dbe1; --bg: #ffffff; --panel: #f6f8fa;
        --fail: #c0392b; --fail-bg: #fdecea; --pass: #1e8449; --pass-bg: #e9f7ef; --warn: #9a7d0a; --warn-bg: #fef9e7;
        --accent: #1f6fb2; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
       font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 28px 48px; }
header { border-bottom: 1px solid var(--line); padding-bottom: 12px; margin-bottom: 18px; }
h1 { font-size: 22px; margin: 0 0 4px; display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
h2 { font-size: 18px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 8px; }
.sub { color: var(--muted); font-size: 13px; }
.badge { font-size: 12px; font-weight: 700; letter-spacing: .04em; padding: 3px 10px; border-radius: 12px; }
.badge.pass, .pill.pass { color: var(--pass); background: var(--pass-bg); }
.badge.fail, .pill.fail { color: var(--fail); background: var(--fail-bg); }
.pill.skip, .pill.warn { color: var(--warn); background: var(--warn-bg); }
.pill { font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; white-space: nowrap; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 10px; margin: 12px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .v { font-size: 20px; font-weight: 700; }
.card .k { color: var(--muted); font-size: 12px; }
.card.fail .v { color: var(--fail); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--panel); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.failed td:first-child { border-left: 3px solid var(--fail); }
td.explain { max-width: 520px; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
pre.cmd { background: #1c2833; color: #eaf2f8; padding: 6px 10px; border-radius: 5px; margin: 4px 0;
          white-space: pre-wrap; overflow-wrap: anywhere; }
.note { color: var(--muted); font-size: 13px; margin: 4px 0 10px; }
.error { color: var(--fail); background: var(--fail-bg); padding: 8px 10px; border-radius: 5px; }
section.seed { border: 1px solid var(--line); border-radius: 8px; padding: 4px 18px 14px; margin: 18px 0; }
.violation { border-left: 3px solid var(--fail); padding-left: 12px; margin: 14px 0; }
figure { margin: 10px 0 18px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
figcaption a { font-weight: 400; font-size: 12px; margin-left: 8px; color: var(--accent); }
.picture { border: 1px solid var(--line); border-radius: 6px; background: #fff; overflow: auto; max-height: 78vh; }
.picture.fit svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
.histogram .bar { fill: #5b8db8; }
.histogram .bar.overflow { fill: #c0392b; }
.histogram .axis { stroke: #7f8c8d; }
.histogram text { font-size: 11px; fill: var(--muted); }
.histogram .caption { font-size: 12px; fill: var(--fg); font-weight: 600; }
.cov { display: flex; flex-wrap: wrap; gap: 12px 28px; align-items: flex-start; }
.cov table { margin: 0; width: auto; min-width: 300px; }
.cov td { padding: 3px 6px; font-size: 13px; }
.cov .bar { display: inline-block; height: 8px; background: #5b8db8; border-radius: 2px; vertical-align: middle; }
.cov tr.zero td { color: var(--warn); }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 10px; }
)CSS";

}  // namespace roomsim::reports
