/**
 * `GET /logs/`: the log viewer shell. Styles are inline, the behaviour is /logs/viewer.js, and
 * nothing comes from a CDN, so it works offline and under the API's script-src 'self' policy.
 */
export const LOG_VIEWER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log viewer</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<style>
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1f2933}
header{background:#243b53;color:#fff;padding:.7rem 1.2rem;display:flex;align-items:center;gap:1rem}
header h1{font-size:1.15rem;margin:0;flex:1}header a{color:#bcccdc}
main{max-width:72rem;margin:0 auto;padding:1rem}
.controls{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;background:#fff;padding:.8rem;border-radius:6px;box-shadow:0 1px 2px #0002}
.controls label{display:flex;flex-direction:column;font-size:.8rem;color:#52606d;gap:.2rem}
.controls input[type=search]{min-width:16rem}
input,select,button{font:inherit;padding:.35rem .5rem;border:1px solid #bcccdc;border-radius:4px;background:#fff}
button{cursor:pointer;background:#e4e7eb}button.primary{background:#2f80ed;color:#fff;border-color:#2f80ed}
.controls .check{flex-direction:row;align-items:center;gap:.3rem;font-size:.9rem}
.stats{display:flex;flex-wrap:wrap;gap:1.4rem;margin:.8rem 0;font-size:.9rem}
.stats b{font-size:1.05rem}.stats .err b{color:#c62828}.stats .warn b{color:#b26a00}
#status{min-height:1.4rem;font-size:.9rem;color:#52606d}#status.error{color:#c62828}
.entry{background:#fff;border-left:5px solid #9aa5b1;border-radius:4px;margin:.45rem 0;padding:.5rem .7rem;box-shadow:0 1px 2px #0001}
.entry.lvl-debug,.entry.lvl-trace{border-color:#9aa5b1}.entry.lvl-info{border-color:#2f80ed}.entry.lvl-warning{border-color:#f0a020}
.entry.lvl-error{border-color:#e53935}.entry.lvl-critical{border-color:#7f0000;background:#fff5f5}
.head{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline}
.time{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;color:#52606d}
.badge{display:inline-block;font-size:.72rem;padding:.05rem .4rem;border-radius:3px;background:#e4e7eb;color:#334e68}
.badge.level{text-transform:uppercase;font-weight:600}.lvl-error .badge.level,.lvl-critical .badge.level{background:#ffcdd2;color:#7f0000}
.lvl-warning .badge.level{background:#ffe0b2;color:#7a4100}.lvl-info .badge.level{background:#d6e8ff;color:#0b4a9e}
.event{font-weight:500;flex:1;word-break:break-word}
.kv{margin-top:.3rem;display:flex;flex-wrap:wrap;gap:.3rem}.kv .badge{background:#f0f4f8;font-family:ui-monospace,Menlo,Consolas,monospace}
.toggle{padding:.05rem .45rem;font-size:.8rem}
pre{background:#102a43;color:#d9e2ec;padding:.6rem;border-radius:4px;overflow:auto;font-size:.8rem;margin:.4rem 0 0}
nav.pages{display:flex;flex-wrap:wrap;gap:.3rem;justify-content:center;margin:1rem 0}
nav.pages button[aria-current=page]{background:#2f80ed;color:#fff;border-color:#2f80ed}nav.pages .gap{padding:.35rem .3rem}
#refreshBtn{position:fixed;right:1.2rem;bottom:1.2rem;border-radius:50%;width:3rem;height:3rem;font-size:1.3rem;background:#2f80ed;color:#fff;border:none;box-shadow:0 2px 6px #0004}
.empty{text-align:center;color:#52606d;padding:2rem}
</style>
</head>
<body>
<header><h1>Log viewer</h1><a href="/">API home</a><a href="/api/docs">API docs</a></header>
<main>
<form class="controls" id="filters" autocomplete="off">
  <label>Log file<select id="file"></select></label>
  <label>Level<select id="level">
    <option value="">All levels</option><option value="debug">Debug</option><option value="info">Info</option>
    <option value="warning">Warning</option><option value="error">Error</option><option value="critical">Critical</option>
  </select></label>
  <label>Search<input type="search" id="search" placeholder="text, request id, path… (Enter)" maxlength="200"></label>
  <label>Per page<select id="perPage"><option>25</option><option selected>50</option><option>100</option><option>200</option></select></label>
  <button type="submit" class="primary" id="searchBtn">Search</button>
  <button type="button" id="clearBtn">Clear</button>
  <label class="check"><input type="checkbox" id="auto" checked> Auto-refresh (30 s)</label>
</form>
<div class="stats" aria-live="polite">
  <span>Total entries <b id="statTotal">–</b></span>
  <span>Page <b id="statPage">–</b></span>
  <span class="err">Errors on page <b id="statErrors">–</b></span>
  <span class="warn">Warnings on page <b id="statWarnings">–</b></span>
  <span>Last updated <b id="statUpdated">–</b></span>
</div>
<div id="status" role="status"></div>
<div id="entries"></div>
<nav class="pages" id="pagination" aria-label="Pages"></nav>
</main>
<button type="button" id="refreshBtn" title="Refresh now" aria-label="Refresh now">&#x21bb;</button>
<script src="/logs/viewer.js"></script>
</body>
</html>
`;
