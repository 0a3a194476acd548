// The signing page (issue 17): the document's digest goes to the signing
// agent on the officer's computer (signing/agent's protocol, version 1),
// whose CMS comes back to the server, which embeds and verifies it.
(function () {
  "use strict";
  const box = document.getElementById("signing");
  if (!box) return;
  const agent = box.dataset.agent;
  const stateEl = document.getElementById("agent-state");
  const button = document.getElementById("sign-button");
  const result = document.getElementById("result");

  function say(el, cls, text, items) {
    el.className = cls;
    el.textContent = "";
    const p = document.createElement("p");
    p.textContent = text;
    el.appendChild(p);
    if (items && items.length) {
      const ul = document.createElement("ul");
      ul.className = "problems";
      for (const t of items) {
        const li = document.createElement("li");
        li.textContent = t;
        ul.appendChild(li);
      }
      el.appendChild(ul);
    }
  }

  // holder says a certificate's subject as people read it: the name, then
  // the organisation ("Nguyễn Văn A — UBND tỉnh Quảng Ngãi").
  function holder(subject) {
    const parts = {};
    for (const p of (subject || "").split(",")) {
      const i = p.indexOf("=");
      if (i > 0) parts[p.slice(0, i).trim()] = p.slice(i + 1).trim();
    }
    return [parts.CN, parts.O].filter(Boolean).join(" — ") || subject || "";
  }

  async function health() {
    say(stateEl, "muted", "Đang kiểm tra phần mềm ký số trên máy của đồng chí…");
    try {
      const res = await fetch(agent + "/v1/health");
      if (!res.ok) throw new Error(String(res.status));
      const h = await res.json();
      say(stateEl, "flash", "Phần mềm ký số đang chạy. Chứng thư số của: " + holder(h.signer) +
        (h.not_after ? " (hiệu lực đến " + new Date(h.not_after).toLocaleDateString("vi-VN") + ")" : ""));
      stateEl.dataset.state = "ready";
      button.disabled = false;
    } catch (e) {
      say(stateEl, "error", "Chưa kết nối được phần mềm ký số trên máy của đồng chí (" + agent +
        "). Hãy cắm thiết bị ký số, mở phần mềm ký số rồi bấm «Kiểm tra lại phần mềm ký số».");
      stateEl.dataset.state = "no-agent";
      button.disabled = true;
    }
  }

  async function sign() {
    button.disabled = true;
    say(result, "muted", "Đang lấy mã băm văn bản…");
    let req;
    try {
      const r = await fetch(box.dataset.request, { credentials: "same-origin" });
      req = await r.json();
      if (!r.ok) {
        say(result, "error", (req.error && (req.error.text || req.error.message)) || "Không lấy được văn bản trình ký.");
        result.dataset.state = "refused";
        return;
      }
    } catch (e) {
      say(result, "error", "Không kết nối được máy chủ. Hãy thử lại.");
      return;
    }
    // Every document of the task, in turn: one CMS each.
    const docs = (req.documents && req.documents.length) ? req.documents : [req];
    const codes = docs.map((d) => d.code).join(", ");
    const signed = [];
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      say(result, "muted", "Phần mềm ký số đang hỏi đồng chí xác nhận ký văn bản " + d.code +
        (docs.length > 1 ? " (" + (i + 1) + "/" + docs.length + ")" : "") + "…");
      let out;
      try {
        const r = await fetch(agent + "/v1/sign", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ digest_b64: d.digest_b64, hash_alg: d.hash_alg, document_id: d.document_id, reason: d.reason }),
        });
        out = await r.json();
        if (!r.ok) {
          const denied = out.error === "denied";
          say(result, "error", denied ? "Đồng chí đã từ chối ký văn bản " + d.code + " trên phần mềm ký số. Chưa văn bản nào được ký; công việc vẫn chờ đồng chí ký."
            : "Phần mềm ký số không ký được văn bản " + d.code + ": " + (out.message || out.error || r.status));
          result.dataset.state = denied ? "denied" : "agent-error";
          button.disabled = false;
          return;
        }
      } catch (e) {
        say(result, "error", "Mất kết nối với phần mềm ký số trên máy của đồng chí. Hãy kiểm tra phần mềm rồi ký lại.");
        result.dataset.state = "no-agent";
        button.disabled = false;
        return;
      }
      signed.push(out.cms_b64);
    }
    say(result, "muted", "Đang gửi chữ ký số về máy chủ để kiểm tra…");
    const form = new URLSearchParams();
    form.set("csrf", box.dataset.csrf);
    form.set("request_id", box.dataset.requestId);
    if (signed.length === 1) form.set("cms_b64", signed[0]);
    else for (const c of signed) form.append("cms_b64_list", c);
    form.set("comment", document.getElementById("comment").value);
    try {
      const r = await fetch(box.dataset.submit, { method: "POST", credentials: "same-origin", body: form });
      const out = await r.json();
      if (!r.ok) {
        const e = out.error || {};
        const probs = (e.problems || []).map((p) => p.text || p.message);
        say(result, "error", "Chữ ký số không được chấp nhận; công việc vẫn mở." + (probs.length ? "" : " " + (e.text || e.message || "")), probs);
        result.dataset.state = "refused";
        box.dataset.requestId = "sign-" + Date.now();
        button.disabled = false;
        return;
      }
      say(result, "flash", "Đã ký số văn bản " + codes + ". Chữ ký đã được kiểm tra; văn thư sẽ đóng dấu và phát hành.");
      result.dataset.state = "signed";
      stateEl.dataset.state = "done";
    } catch (e) {
      say(result, "error", "Không gửi được chữ ký về máy chủ. Hãy thử lại.");
      button.disabled = false;
    }
  }

  // Remote signing: the server asks the remote-signing service, the head
  // approves on their phone, and the page polls the request's state.
  const remote = document.getElementById("remote");
  const remoteButton = document.getElementById("remote-button");
  const remoteState = document.getElementById("remote-state");

  // remoteError shows a refusal (its problems, if any); state is
  // "denied" (on the phone, or expired) or "refused".
  function remoteError(out, fallback, state) {
    const e = (out && out.error) || {};
    const probs = (e.problems || []).map((p) => p.text || p.message);
    say(remoteState, "error", probs.length ? "Chữ ký số không được chấp nhận; công việc vẫn mở." : (e.text || e.message || fallback), probs);
    remoteState.dataset.state = state;
    remoteButton.disabled = false;
  }

  async function poll(ticket, expires) {
    let out;
    try {
      const r = await fetch(remote.dataset.remote + "?ticket=" + encodeURIComponent(ticket), { credentials: "same-origin" });
      out = await r.json();
      if (!r.ok) {
        remoteError(out, "Không ký được qua dịch vụ ký số từ xa. Công việc vẫn chờ đồng chí ký.", r.status === 409 ? "denied" : "refused");
        return;
      }
    } catch (e) {
      say(remoteState, "muted", "Mất kết nối với máy chủ; đang thử lại…");
      setTimeout(() => poll(ticket, expires), 3000);
      return;
    }
    if (out.status === "signed") {
      say(remoteState, "flash", "Đã ký số văn bản qua dịch vụ ký số từ xa. Chữ ký đã được kiểm tra; văn thư sẽ đóng dấu và phát hành.");
      remoteState.dataset.state = "signed";
      say(stateEl, "muted", "Văn bản đã được ký qua dịch vụ ký số từ xa; không cần ký bằng phần mềm ký số trên máy nữa.");
      stateEl.dataset.state = "done";
      button.disabled = true;
      document.getElementById("recheck").disabled = true;
      return;
    }
    say(remoteState, "muted", "Đã gửi yêu cầu ký đến dịch vụ ký số từ xa. Đồng chí hãy mở ứng dụng ký số trên điện thoại và xác nhận ký" +
      (expires ? " trước " + new Date(expires).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" }) + " ngày " + new Date(expires).toLocaleDateString("vi-VN") : "") +
      ". Trang này tự cập nhật khi đồng chí đã ký.");
    remoteState.dataset.state = "pending";
    remoteState.dataset.ticket = ticket;
    setTimeout(() => poll(ticket, expires), 2000);
  }

  async function signRemotely() {
    remoteButton.disabled = true;
    say(remoteState, "muted", "Đang gửi yêu cầu ký đến dịch vụ ký số từ xa…");
    const form = new URLSearchParams();
    form.set("csrf", box.dataset.csrf);
    try {
      const r = await fetch(remote.dataset.remote, { method: "POST", credentials: "same-origin", body: form });
      const out = await r.json();
      if (!r.ok) {
        remoteError(out, "Dịch vụ ký số từ xa không nhận yêu cầu. Hãy thử lại.", "refused");
        return;
      }
      poll(out.ticket, out.expires);
    } catch (e) {
      say(remoteState, "error", "Không kết nối được máy chủ. Hãy thử lại.");
      remoteState.dataset.state = "error";
      remoteButton.disabled = false;
    }
  }

  if (remote) remoteButton.addEventListener("click", signRemotely);
  button.addEventListener("click", sign);
  document.getElementById("recheck").addEventListener("click", health);
  health();
})();
