"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const STATUS = {r: "read", i: "imputed", m: "missing", "-": "not in report", "?": "unknown status"};
  const CLASS = {r: "st-r", i: "st-i", m: "st-m", "-": "st-absent", "?": "st-x"};
  const PAGE = 300;
  let DATA = null, byId = new Map(), shown = PAGE, current = null;

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v; else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const kid of kids) {
      if (kid === null || kid === undefined) continue;
      e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return e;
  }
  function safeUrl(u) { return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null; }
  function link(u, text) {
    const href = safeUrl(u);
    if (!href) return el("span", {class: "url"}, u || "—");
    return el("a", {href: href, target: "_blank", rel: "noopener noreferrer", class: "url"}, text || u);
  }
  function fmt(v) { return v === null || v === undefined ? "" : String(v); }

  async function decode(node) {
    const text = node.textContent.replace(/\s+/g, "");
    const bin = atob(text);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    if (node.dataset.encoding === "gzip+base64") {
      if (typeof DecompressionStream === "undefined") throw new Error("this browser cannot decompress the embedded data (DecompressionStream); open the report in a current browser");
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return JSON.parse(await new Response(stream).text());
    }
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  // ---- the list of reports ------------------------------------------------------------------
  function haystack(r) {
    return [r.o, r.y, r.p, r.c, r.n, r.s, r.ti, r.a, r.t].filter((x) => x !== null && x !== undefined)
      .join(" ").toLowerCase();
  }
  function matches() {
    const q = $("filter").value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const onlyFail = $("only-failed").checked, onlyPrimary = $("only-primary").checked;
    return DATA.reports.filter((r) => (!onlyFail || r.k[4] > 0 || r.XF.length > 0) && (!onlyPrimary || r.pr)
      && q.every((w) => r._h.includes(w) || r.id.startsWith(w)));  // ids by prefix: "2023" is no id
  }
  function templateText(r) {
    if (!r.t) return "—";
    return r.v3 && r.v3 !== r.t ? `${r.t} (三 ${r.v3})` : (r.v2 && r.v2 !== r.t ? `${r.t} (二 ${r.v2})` : r.t);
  }
  function renderList() {
    const found = matches();
    const body = $("report-list").tBodies[0];
    body.replaceChildren();
    for (const r of found.slice(0, shown)) {
      const place = [r.p, r.c, r.n].filter(Boolean).join(" ") || "(unresolved)";
      const tr = el("tr", {"data-report-id": r.id, class: current === r.id ? "current" : null},
        el("td", {}, el("a", {href: "#report=" + encodeURIComponent(r.id)}, r.o || "(no agency name)")),
        el("td", {class: "num"}, fmt(r.y)), el("td", {}, place), el("td", {}, templateText(r)),
        el("td", {class: "num"}, r.k[0]), el("td", {class: "num"}, r.k[1]), el("td", {class: "num"}, r.k[2]),
        el("td", {class: "num" + (r.k[4] ? " err" : "")}, r.k[4]),
        el("td", {class: "num" + (r.XF.length ? " err" : "")}, r.XF.length),
        el("td", {}, r.pr ? "yes" : "no"));
      tr.addEventListener("click", (ev) => { if (ev.target.tagName !== "A") location.hash = "report=" + encodeURIComponent(r.id); });
      body.append(tr);
    }
    $("list-count").textContent = `${Math.min(found.length, shown)} shown of ${found.length} matching (${DATA.reports.length} reports)`;
    $("more").hidden = found.length <= shown;
  }

  // ---- one report ---------------------------------------------------------------------------
  function cellTd(r, lay, i, failing, xfailing) {
    if (i === null || i === undefined) return el("td", {class: "na", title: "not a cell of this template"});
    const s = r.S[i] || "-", v = r.V[i], key = lay.keys[i];
    const raw = r.R && r.R[i] !== undefined ? r.R[i] : null;
    const rule = r.U && r.U[i] !== undefined ? r.U[i] : null;
    const loc = r.X[i] || "";
    const cls = ["cell", CLASS[s] || "st-x"];
    if (failing.has(i)) cls.push("fail");
    if (xfailing.has(key)) cls.push("xfail");
    const tip = [`${key} · ${lay.labels[i]}`, `value: ${v === null ? "(blank)" : v} · ${STATUS[s] || s}`];
    if (raw !== null) tip.push(`raw: "${raw}"`);
    if (rule) tip.push(`imputed by ${rule}`);
    tip.push(`locator: ${loc || "(none)"}`);
    const td = el("td", {class: cls.join(" "), "data-key": key, "data-status": STATUS[s] || s, "data-index": i,
                         title: tip.join("\n")},
      el("span", {class: "v"}, v === null ? "" : String(v)), el("span", {class: "loc"}, loc));
    td.addEventListener("click", () => inspect(r, lay, i, failing, xfailing));
    return td;
  }
  function inspect(r, lay, i, failing, xfailing) {
    const key = lay.keys[i], s = r.S[i] || "-";
    const lines = [`${key}  ${lay.labels[i]}`, `value   ${r.V[i] === null ? "(blank: missing, not 0)" : r.V[i]}`,
      `status  ${STATUS[s] || s}`];
    if (r.R && r.R[i] !== undefined) lines.push(`raw     "${r.R[i]}"`);
    if (r.U && r.U[i] !== undefined) lines.push(`rule    ${r.U[i]}`);
    lines.push(`locator ${r.X[i] || "(none)"}`);
    const rules = r.F.filter((f) => lay.rules[f[0]] && lay.rules[f[0]][2].includes(i)).map((f) => f[0]);
    const xr = r.XF.filter((x) => x[2] === key).map((x) => x[0]);
    if (rules.length || xr.length) lines.push(`failing ${rules.concat(xr).join(", ")}`);
    $("cell-info").textContent = lines.join("\n");
    document.querySelectorAll("#detail td.focus").forEach((td) => td.classList.remove("focus"));
    const td = document.querySelector(`#detail td[data-index="${i}"]`);
    if (td) td.classList.add("focus");
  }
  function focusRule(lay, rule) {
    document.querySelectorAll("#detail td.focus").forEach((td) => td.classList.remove("focus"));
    const def = lay && lay.rules[rule];
    if (!def) return;
    for (const i of def[2]) {
      const td = document.querySelector(`#detail td[data-index="${i}"]`);
      if (td) td.classList.add("focus");
    }
    $("cell-info").textContent = `${rule} (${def[0]})\n${def[1]}`;
  }

  function section2(r, lay, failing, xfailing) {
    const out = el("div", {class: "s2"});
    for (const sub of lay.s2) {
      const t = el("table", {class: "tpl s2", "data-article": sub.article});
      t.append(el("caption", {}, sub.article));
      t.append(el("tr", {}, el("th", {}, "信息内容"), ...sub.cols.map((c) => el("th", {}, c))));
      for (const [label, idx] of sub.rows) {
        t.append(el("tr", {}, el("th", {class: "rl"}, label), ...idx.map((i) => cellTd(r, lay, i, failing, xfailing))));
      }
      out.append(t);
    }
    return out;
  }
  function section3(r, lay, failing, xfailing) {
    const t = el("table", {class: "tpl s3", id: "table-s3"});
    t.append(el("tr", {}, el("th", {colspan: 3}, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
      ...lay.s3.cols.map((c) => el("th", {class: "num"}, c))));
    const rows = lay.s3.rows;
    const run = (n, pick) => { let k = 1; while (n + k < rows.length && pick(rows[n + k]) === pick(rows[n])) k++; return k; };
    for (let n = 0; n < rows.length; n++) {
      const [label, top, sub, idx] = rows[n];
      const tr = el("tr", {"data-row": n});
      if (!top) tr.append(el("th", {class: "rl", colspan: 3}, label));
      else {
        if (n === 0 || rows[n - 1][1] !== top) tr.append(el("th", {class: "rl", rowspan: run(n, (x) => x[1])}, top));
        if (!sub) tr.append(el("th", {class: "rl", colspan: 2}, label));
        else {
          if (n === 0 || rows[n - 1][1] !== top || rows[n - 1][2] !== sub) tr.append(el("th", {class: "rl", rowspan: run(n, (x) => x[1] + "\u0000" + x[2])}, sub));
          tr.append(el("th", {class: "rl"}, label));
        }
      }
      for (const i of idx) tr.append(cellTd(r, lay, i, failing, xfailing));
      t.append(tr);
    }
    return t;
  }
  function section4(r, lay, failing, xfailing) {
    const t = el("table", {class: "tpl s4", id: "table-s4"});
    const tops = [];
    for (const [top, sub, cols] of lay.s4) {
      const last = tops[tops.length - 1];
      if (last && last.top === top) { last.span += cols.length; last.subs.push([sub, cols.length]); }
      else tops.push({top, span: cols.length, subs: [[sub, cols.length]]});
    }
    const r1 = el("tr"), r2 = el("tr"), r3 = el("tr"), r4 = el("tr");
    for (const g of tops) {
      const hasSub = g.subs.some(([s]) => s);
      r1.append(el("th", {colspan: g.span, rowspan: hasSub ? 1 : 2}, g.top));
      if (hasSub) for (const [s, n] of g.subs) r2.append(el("th", {colspan: n}, s || ""));
    }
    for (const [, , cols] of lay.s4) for (const [label, i] of cols) {
      r3.append(el("th", {class: "num"}, label));
      r4.append(cellTd(r, lay, i, failing, xfailing));
    }
    t.append(r1, r2, r3, r4);
    return t;
  }
  function ruleList(r, lay) {
    const ul = el("ul", {class: "rules", id: "failed-rules"});
    for (const [rule, sev, detail] of r.F) {
      const def = lay && lay.rules[rule];
      const name = el("span", {class: "rule", "data-rule": rule}, rule);
      name.addEventListener("click", () => focusRule(lay, rule));
      ul.append(el("li", {}, name, ` (${sev || "?"}) `, def ? el("span", {class: "formula"}, def[1]) : null,
                   detail ? ` — ${detail}` : null));
    }
    for (const [rule, sev, key, detail, prev] of r.XF) {
      const li = el("li", {}, el("span", {class: "rule xrule", "data-rule": rule}, rule), ` (${sev || "?"}, cross-year) `,
                    detail || key || "");
      if (prev) {
        li.append(" — previous year: ");
        li.append(el("a", {href: "#report=" + encodeURIComponent(prev)}, byId.has(prev) ? `${byId.get(prev).o} ${byId.get(prev).y}` : prev));
      }
      ul.append(li);
    }
    if (!r.F.length && !r.XF.length) ul.append(el("li", {}, "no failed rule"));
    return ul;
  }
  function extraCells(r) {
    if (!r.E || !r.E.length) return null;
    const t = el("table", {class: "tpl extra"});
    t.append(el("tr", {}, ...["cell key", "value", "status", "raw", "locator", "rule"].map((h) => el("th", {}, h))));
    for (const [key, v, s, raw, loc, rule] of r.E) {
      t.append(el("tr", {}, el("td", {}, key), el("td", {class: "num " + (CLASS[s] || "")}, fmt(v)),
        el("td", {}, STATUS[s] || s), el("td", {}, fmt(raw)), el("td", {}, loc), el("td", {}, fmt(rule))));
    }
    return el("div", {}, el("h4", {}, "Cells outside the template"), t);
  }
  function narrative(r) {
    if (!r.N.length) return null;
    const t = el("table", {class: "narr"});
    t.append(el("tr", {}, el("th", {}, "figure"), el("th", {class: "num"}, "value"), el("th", {}, "as printed")));
    for (const [key, v, raw, approx] of r.N) {
      t.append(el("tr", {}, el("td", {}, key), el("td", {class: "num"}, fmt(v) + (approx ? " (approx.)" : "")), el("td", {}, fmt(raw))));
    }
    return el("div", {}, el("h4", {}, "Narrative figures"), t);
  }
  function meta(r) {
    const place = [r.p, r.c, r.n].filter(Boolean).join(" ") || "(unresolved)";
    const rows = [["title", r.ti], ["agency", `${r.o || "—"} (${r.a || "no agency id"})`], ["region", `${place} · ${r.l || "level unknown"}`],
      ["year", fmt(r.y)], ["template", `${r.t || "—"} (section 二 ${r.v2 || "—"}, section 三 ${r.v3 || "—"})`],
      ["document", `${r.f || "?"}${r.pg ? ", " + r.pg + " pages" : ""} · ${r.cv || "converter unknown"} · parser ${r.pv || "?"}`],
      ["source", `${r.s || "—"} · fetched ${r.fa || "?"}`],
      ["cells", `${r.k[0]} read, ${r.k[1]} imputed, ${r.k[2]} missing`],
      ["checks", `${r.k[3]} pass, ${r.k[4]} fail, ${r.k[5]} not assessable`],
      ["flags", `${r.pr ? "primary" : "not primary (another report of this agency and year is)"} · ${r.lp ? "newest parse" : "older parser version"}`],
      ["report id", r.id]];
    const dl = el("dl");
    for (const [k, v] of rows) dl.append(el("dt", {}, k), el("dd", {}, fmt(v)));
    dl.append(el("dt", {}, "article page"), el("dd", {id: "link-page"}, link(r.pu)));
    dl.append(el("dt", {}, "document"), el("dd", {id: "link-doc"}, link(r.du)));
    if (r.w.length) dl.append(el("dt", {}, "warnings"), el("dd", {}, el("ul", {}, ...r.w.map((w) => el("li", {}, w)))));
    return dl;
  }
  function showReport(id) {
    const r = byId.get(id), box = $("detail");
    current = r ? id : null;
    document.querySelectorAll("#report-list tr.current").forEach((tr) => tr.classList.remove("current"));
    if (!r) { box.replaceChildren(el("p", {class: "err"}, "no report with id " + id)); box.hidden = false; return; }
    const row = document.querySelector(`#report-list tr[data-report-id="${CSS.escape(id)}"]`);
    if (row) row.classList.add("current");
    const lay = r.L === null || r.L === undefined ? null : DATA.layouts[r.L];
    const failing = new Set(), xfailing = new Set(r.XF.map((x) => x[2]).filter(Boolean));
    for (const [rule] of r.F) if (lay && lay.rules[rule]) for (const i of lay.rules[rule][2]) failing.add(i);
    const toggle = el("input", {type: "checkbox", id: "show-loc"});
    toggle.addEventListener("change", () => box.classList.toggle("showloc", toggle.checked));
    box.classList.remove("showloc");
    const kids = [el("h3", {id: "detail-title"}, `${r.o || "(no agency name)"} · ${fmt(r.y) || "year unknown"}`), meta(r),
      el("h4", {}, "Failed rules"), ruleList(r, lay)];
    if (lay) {
      kids.push(el("p", {class: "legend"}, el("span", {class: "st-r"}, "read"), el("span", {class: "st-i"}, "imputed*"),
        el("span", {class: "st-m"}, "missing (blank)"), el("span", {class: "fail"}, "operand of a failed rule"),
        el("span", {class: "xfail"}, "fails a cross-year check"),
        el("label", {}, toggle, " show each value's locator")));
      kids.push(el("div", {id: "cell-info"}, "click a cell (or a failed rule) for its key, raw text, locator and rule"));
      const wrap = (node) => el("div", {class: "tpl-wrap"}, node);
      kids.push(el("h4", {}, "二、主动公开政府信息情况"), section2(r, lay, failing, xfailing));
      kids.push(el("h4", {}, "三、收到和处理政府信息公开申请情况"), wrap(section3(r, lay, failing, xfailing)));
      kids.push(el("h4", {}, "四、政府信息公开行政复议、行政诉讼情况"), wrap(section4(r, lay, failing, xfailing)));
    } else {
      kids.push(el("p", {class: "note"}, "No template table: a free-form report (before 2019) or a template this report does not name; its cells, if any, are listed below."));
    }
    kids.push(extraCells(r), narrative(r));
    box.replaceChildren(...kids.filter(Boolean));
    box.setAttribute("data-report-id", r.id);
    box.hidden = false;
  }
  function fromHash() {
    const m = /^#report=(.+)$/.exec(location.hash);
    if (!m) return;
    showReport(decodeURIComponent(m[1]));
    $("detail").scrollIntoView();
  }

  async function start() {
    try {
      DATA = await decode($("payload"));
    } catch (err) {
      $("list-count").textContent = "could not read the embedded report data: " + err.message;
      document.body.setAttribute("data-ready", "error");
      return;
    }
    for (const r of DATA.reports) { r._h = haystack(r); byId.set(r.id, r); }
    for (const id of ["filter", "only-failed", "only-primary"]) $(id).addEventListener("input", () => { shown = PAGE; renderList(); });
    $("more").addEventListener("click", () => { shown += PAGE; renderList(); });
    const failing = $("show-failing");
    if (failing) failing.addEventListener("click", () => { $("only-failed").checked = true; shown = PAGE; renderList(); });
    window.addEventListener("hashchange", fromHash);
    renderList();
    fromHash();
    document.body.setAttribute("data-ready", "yes");
  }
  start();
})();
