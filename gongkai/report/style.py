"""The report's inline stylesheet."""

CSS = """
:root{--ink:#1f2328;--mute:#656d76;--line:#d0d7de;--bg:#f6f8fa;--bar:#3b6ea8;--read:#ffffff;
--imp:#e3f0ff;--miss:#f3f3f3;--fail:#c62828;--warn:#e08a00}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;
color:var(--ink);margin:0;background:#fff}
header{background:var(--bg);border-bottom:1px solid var(--line);padding:14px 24px}
header h1{margin:0 0 4px;font-size:20px}
header p{margin:0;color:var(--mute)}
nav a{margin-right:14px}
main{padding:0 24px 40px;max-width:1400px}
section{margin-top:28px}
h2{font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.note{color:var(--mute);font-size:13px}
.tiles{display:flex;flex-wrap:wrap;gap:10px}
.tile{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px;background:#fff}
.tile b{display:block;font-size:22px}
.tile span{color:var(--mute);font-size:12px}
.row{display:flex;flex-wrap:wrap;gap:28px;align-items:flex-start}
.row>div{max-width:780px}
table{border-collapse:collapse;margin:6px 0}
th,td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{max-height:460px;overflow:auto;border:1px solid var(--line);display:inline-block;max-width:100%}
.scroll table{margin:0}
.chart .bar rect{fill:var(--bar)}
.chart .bar.blank rect{fill:#9aa4ae}
.chart .bar.flag rect{fill:var(--fail)}
.chart text{font-size:12px;fill:var(--ink)}
.chart .val{fill:var(--mute)}
.chart .bar.o-ok rect,.stack rect.o-ok{fill:#2e7d32}.chart .bar.o-not_modified rect{fill:#81c784}
.chart .bar.o-blocked rect{fill:#6a1b9a}.chart .bar.o-gone rect{fill:#9e9e9e}.chart .bar.o-error rect{fill:#c62828}
.chart .bar.o-skipped rect{fill:#f9a825}
.stack rect.o-ok{fill:#2e7d32}.stack rect.o-not_modified{fill:#81c784}.stack rect.o-blocked{fill:#6a1b9a}
.stack rect.o-gone{fill:#9e9e9e}.stack rect.o-error{fill:#c62828}.stack rect.o-skipped{fill:#f9a825}
.stack rect{fill:#455a64}
.sw{display:inline-block;width:10px;height:10px;margin:0 3px 0 10px;vertical-align:middle}
.sw.o-ok{background:#2e7d32}.sw.o-not_modified{background:#81c784}.sw.o-blocked{background:#6a1b9a}
.sw.o-gone{background:#9e9e9e}.sw.o-error{background:#c62828}.sw.o-skipped{background:#f9a825}
.heat td.h0{color:#b0b7be}.heat td.h1{background:#e8f0fa}.heat td.h2{background:#c7daf1}
.heat td.h3{background:#9dbfe6}.heat td.h4{background:#6c9fd6;color:#fff}.heat td.h5{background:#3b6ea8;color:#fff}
.url{word-break:break-all;font-size:12px}
.err{color:var(--fail)}
#controls{display:flex;gap:14px;align-items:center;flex-wrap:wrap;margin:8px 0}
#filter{width:320px;padding:4px 8px}
#report-list tbody tr{cursor:pointer}
#report-list tbody tr:hover{background:#f0f6ff}
#report-list tr.current{background:#fff3c4}
#detail{margin-top:18px;border-top:3px solid var(--bar);padding-top:6px}
#detail dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}
#detail dt{color:var(--mute)}
#detail dd{margin:0}
table.tpl td.cell{min-width:44px;text-align:right;font-variant-numeric:tabular-nums;cursor:pointer;position:relative}
table.tpl td.st-r{background:var(--read)}
table.tpl td.st-i{background:var(--imp);font-style:italic}
table.tpl td.st-i .v::after{content:"*";color:#1565c0}
table.tpl td.st-m{background:repeating-linear-gradient(45deg,var(--miss),var(--miss) 4px,#e2e2e2 4px,#e2e2e2 8px)}
table.tpl td.st-absent{background:#fafafa;color:#aaa}
table.tpl td.st-x{background:#ffe0e0}
table.tpl td.na{background:#eee}
table.tpl td.fail{outline:2px solid var(--fail);outline-offset:-2px}
table.tpl td.xfail{outline:2px dashed var(--warn);outline-offset:-2px}
table.tpl td.focus{box-shadow:inset 0 0 0 3px #ffb300}
table.tpl th.rl{font-weight:normal;background:#fbfbfb;max-width:420px;min-width:6em}
.tpl-wrap{overflow-x:auto;max-width:100%}
table.tpl .loc{display:none;font-size:10px;color:var(--mute);font-style:normal;white-space:nowrap;text-align:left}
#detail.showloc table.tpl .loc{display:block}
.legend span{display:inline-block;border:1px solid var(--line);padding:0 6px;margin-right:6px;font-size:12px}
.legend .st-i{background:var(--imp);font-style:italic}
.legend .st-m{background:repeating-linear-gradient(45deg,var(--miss),var(--miss) 4px,#e2e2e2 4px,#e2e2e2 8px)}
.legend .fail{outline:2px solid var(--fail);outline-offset:-2px}
.legend .xfail{outline:2px dashed var(--warn);outline-offset:-2px}
ul.rules{padding-left:18px;margin:4px 0}
ul.rules li{margin:2px 0}
ul.rules .rule{cursor:pointer;color:var(--fail);font-weight:600;text-decoration:underline dotted}
ul.rules .formula{font-family:ui-monospace,monospace;font-size:12px;color:var(--mute)}
#cell-info{font-family:ui-monospace,monospace;font-size:12px;background:var(--bg);border:1px solid var(--line);
padding:6px 10px;white-space:pre-wrap;min-height:2.8em}
button{font:inherit;padding:2px 10px}
"""
