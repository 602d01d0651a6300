"""The trainer's live page (one HTML file, no build step) and the note students get.

The page opens ``api/stream`` (server-sent events; the browser reconnects by itself) and
redraws from each pushed state: per question of the lesson the bars, the share right, the
common wrong answers with why they are wrong, who has not answered; the "卡住了" list; the
poll with its controls. Texts come from the ``live`` message catalogue in the class language.
"""

from __future__ import annotations

import html
import json

from ...i18n import catalogue


def texts(lang: str) -> dict[str, str]:
    return {k.split(".", 1)[1]: v[lang] for k, v in catalogue().items() if k.startswith("live.")}


def student_note(lang: str) -> str:
    tx = texts(lang)
    return (
        f"<!doctype html><html lang='{lang}'><meta charset='utf-8'>"
        f"<title>{html.escape(tx['title'])}</title>"
        "<body style='font-family:sans-serif;margin:2em'>"
        f"<p>{html.escape(tx['student_note'])}</p></body></html>"
    )


def trainer_page(lang: str, path: str, xsrf: str = "") -> str:
    """The page; ``xsrf`` (the hub's token for this session) goes with every request it makes."""
    base = path if path.endswith("/") else path + "/"
    tx = texts(lang)
    config = json.dumps({"base": base, "t": tx, "xsrf": xsrf}, ensure_ascii=False)
    return (
        TEMPLATE.replace("__LANG__", lang)
        .replace("__TITLE__", html.escape(tx["title"]))
        .replace("__CONFIG__", config.replace("</", "<\\/"))
    )


TEMPLATE = r"""<!doctype html>
<html lang="__LANG__"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;
 background:#f5f6f8;color:#222}
header{background:#24527a;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:center}
header h1{font-size:20px;margin:0}
#status{font-size:13px;opacity:.85}
main{display:grid;grid-template-columns:minmax(0,2fr) minmax(300px,1fr);gap:16px;padding:16px}
section{background:#fff;border:1px solid #dde;border-radius:6px;padding:12px 14px;
 margin-bottom:12px}
h2{font-size:16px;margin:0 0 8px}
.q h3{font-size:15px;margin:0 0 6px}
.meta{color:#555;font-size:13px;margin-bottom:6px}
.bar{display:flex;align-items:center;gap:8px;font-size:13px;margin:3px 0}
.bar .label{flex:0 0 42%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bar .track{flex:1;background:#eef;height:16px;border-radius:3px;position:relative}
.bar .fill{background:#7a9cc6;height:100%;border-radius:3px}
.bar.right .fill{background:#4a9a5a}.bar.wrong .fill{background:#c77}
.bar .n{flex:0 0 32px;text-align:right}
.wrong-box{background:#fff4f0;border-left:3px solid #c77;padding:4px 8px;margin:6px 0;
 font-size:13px}
.missing{font-size:13px;color:#a60}
.stuck li{color:#a00}
label{display:block;font-size:13px;margin:6px 0 2px}
select,textarea,input{width:100%;box-sizing:border-box;font:inherit;font-size:13px}
button{font:inherit;font-size:13px;padding:4px 10px;margin:6px 6px 0 0;cursor:pointer}
.err{color:#a00;font-size:13px}
</style></head>
<body>
<header><h1>__TITLE__</h1><select id="bank" style="width:auto"></select>
<span id="status"></span></header>
<main>
<div id="questions"></div>
<div>
 <section id="poll-box"><h2 data-t="poll"></h2><div id="poll"></div>
  <label data-t="poll_pick"></label><select id="poll-q"></select>
  <button id="push-q" data-t="poll_push"></button>
  <label data-t="poll_quick"></label>
  <input id="quick-prompt" placeholder=""><textarea id="quick-options" rows="3"></textarea>
  <input id="quick-right" type="number" min="1" max="8">
  <button id="push-quick" data-t="poll_push"></button><div id="poll-err" class="err"></div>
 </section>
 <section class="stuck"><h2 data-t="stuck"></h2><ul id="stuck"></ul></section>
</div>
</main>
<script>
const C = __CONFIG__, T = C.t;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g,
  (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
const fmt = (s, f) => s.replace(/\{(\w+)\}/g, (_, k) => f[k]);
const pct = (x) => x == null ? "–" : Math.round(x * 100) + "%";
document.querySelectorAll("[data-t]").forEach((el) => el.textContent = T[el.dataset.t]);
$("quick-prompt").placeholder = T.poll_prompt;
$("quick-options").placeholder = T.poll_options;
$("quick-right").placeholder = T.poll_right;
let bank = new URLSearchParams(location.search).get("bank") || "";
let source = null, last = null;

function bars(rows, total) {
  const max = Math.max(1, total);
  const kind = (b) => b.correct === true ? "right" : b.correct === false ? "wrong" : "";
  return rows.map((b) => `<div class="bar ${kind(b)}">
    <span class="label" title="${esc(b.label)}">${esc(b.label)}</span>
    <span class="track"><span class="fill"
      style="display:block;width:${100 * b.count / max}%"></span></span>
    <span class="n">${b.count}</span></div>`).join("");
}

function drawLesson(L) {
  $("questions").innerHTML = L.questions.map((q) => `<section class="q" data-qid="${esc(q.qid)}">
    <h3>${esc(q.title)}</h3>
    <div class="meta">${fmt(T.answered, {n: q.answered, total: L.n})} ·
      ${q.answered ? fmt(T.share_right, {pct: pct(q.share_right)}) : esc(T.no_answers)}</div>
    ${bars(q.bars.filter((b) => b.count || q.type === "single"), q.answered)}
    ${q.wrong.length ? `<div class="meta"><b>${esc(T.common_wrong)}</b></div>` : ""}
    ${q.wrong.map((w) => `<div class="wrong-box"><b>${esc(w.label)}</b> × ${w.count}
      ${w.reason ? `<div>${esc(T.why_not)}${esc(w.reason)}</div>` : ""}</div>`).join("")}
    <div class="missing">${q.missing.length ? esc(T.missing) + esc(q.missing.join("、"))
      : esc(T.everyone)}</div></section>`).join("");
  $("stuck").innerHTML = L.stuck.length ? L.stuck.map((s) =>
    `<li>${esc(fmt(T.stuck_line, {name: s.name, concept: s.concept, n: s.wrong}))}</li>`).join("")
    : `<li style="color:#555;list-style:none">${esc(T.stuck_none)}</li>`;
  $("poll-q").innerHTML = L.questions.map((q) =>
    `<option value="${esc(q.qid)}">${esc(q.title.slice(0, 40))}</option>`).join("");
}

function drawPoll(P) {
  if (!P) { $("poll").innerHTML = `<div class="meta">${esc(T.poll_none)}</div>`; return; }
  const open = P.state === "open";
  let h = `<div class="meta"><b>${esc(P.title)}</b><br>${esc(fmt(open ? T.poll_open
    : T.poll_closed, {vote: P.vote}))} · ${esc(T.poll_answered)}${P.answered.length}</div>`;
  for (const r of P.results || []) {
    h += `<div class="meta">${esc(fmt(T.poll_vote, {vote: r.vote}))} ·
      ${esc(fmt(T.answered, {n: r.answered, total: P.answered.length + P.missing.length}))}
      ${r.share_right == null ? ""
        : " · " + esc(fmt(T.share_right, {pct: pct(r.share_right)}))}</div>`;
    h += bars(r.bars, r.answered);
  }
  if (P.shift) h += `<div class="meta"><b>${esc(fmt(T.poll_shift, {a: pct(P.shift.from),
    b: pct(P.shift.to), n: P.shift.changed}))}</b></div>`;
  h += `<div class="missing">${P.missing.length ? esc(T.missing) + esc(P.missing.join("、"))
    : esc(T.everyone)}</div>`;
  if (open) h += `<button id="poll-close">${esc(T.poll_close)}</button>`;
  else if (P.vote === 1) h += `<button id="poll-revote">${esc(T.poll_revote)}</button>`;
  $("poll").innerHTML = h;
  if (open) $("poll-close").onclick = () => act("api/poll/close", {id: P.id});
  else if (P.vote === 1) $("poll-revote").onclick = () => act("api/poll/revote", {id: P.id});
}

function draw(S) {
  last = S;
  const L = S.lesson;
  if (!bank) bank = L.bank;
  $("bank").innerHTML = S.banks.map((b) =>
    `<option value="${esc(b.id)}" ${b.id === L.bank ? "selected" : ""}>${esc(b.title)}</option>`
  ).join("");
  drawLesson(L);
  drawPoll(S.poll);
  document.body.dataset.updated = String(S.t);
}

async function act(path, body) {
  $("poll-err").textContent = "";
  const r = await fetch(C.base + path, {method: "POST", body: JSON.stringify(body),
    headers: {"Content-Type": "application/json", "X-Requested-With": "sanshe-live",
              "X-XSRFToken": C.xsrf}});
  if (!r.ok) {
    let detail = r.statusText;
    try { detail = (await r.json()).error || detail; } catch (e) {}
    $("poll-err").textContent = fmt(T.poll_bad, {detail});
  }
}

$("push-q").onclick = () => act("api/poll", {qid: $("poll-q").value});
$("push-quick").onclick = () => {
  const options = $("quick-options").value.split("\n").map((s) => s.trim()).filter(Boolean);
  const n = parseInt($("quick-right").value, 10);
  act("api/poll", {custom: {prompt: $("quick-prompt").value, options,
    correct: Number.isInteger(n) ? n - 1 : null}});
};
$("bank").onchange = () => { bank = $("bank").value; connect(); };

function connect() {
  if (source) source.close();
  source = new EventSource(C.base + "api/stream?bank=" + encodeURIComponent(bank)
    + "&_xsrf=" + encodeURIComponent(C.xsrf));
  source.addEventListener("state", (e) => draw(JSON.parse(e.data)));
  source.onopen = () => $("status").textContent = T.connected;
  source.onerror = () => $("status").textContent = T.disconnected;
}
connect();
</script></body></html>
"""
