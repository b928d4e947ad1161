// The vote page of a verifiable ballot: fetch the election's public key material, check it
// (ballot.js verifies the trustees' proofs and recomputes the key), encrypt the chosen
// option here, show the tracker, then either cast the ballot or audit it (reveal it, never
// count it, and encrypt again). Served as a module beside ballot.js; no inline script.
// Its sentences come in the page's language from the JSON element #verifiable-texts.

import { electionContext, encryptBallot, ready } from "./ballot.js";

const root = document.getElementById("verifiable-vote");
const api = root.dataset.api;
const board = root.dataset.board;
const form = document.getElementById("choose");
const encryptButton = document.getElementById("encrypt");
const encrypted = document.getElementById("encrypted");
const trackerOut = document.getElementById("tracker");
const statusOut = document.getElementById("status");
const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
const texts = JSON.parse(document.getElementById("verifiable-texts").textContent);
let context = null;
let made = null;

// A sentence of the page's language with its {name}s filled in.
function t(key, values = {}) {
  return texts[key].replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
}

function say(text) {
  statusOut.textContent = text;
}

async function post(path, body) {
  const response = await fetch(`${api}/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.detail || t("serverAnswered", { status: response.status }));
  return answer;
}

async function start() {
  say(t("loading"));
  await ready();
  const response = await fetch(`${api}/context`, { credentials: "same-origin" });
  const data = await response.json();
  if (!response.ok) throw new Error(data.detail || t("keyMissing"));
  context = electionContext(data.manifest, data.trustees, data.key);
  document.getElementById("fingerprint").textContent = t("fingerprint", {
    fingerprint: context.fingerprint,
  });
  encryptButton.disabled = false;
  say("");
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const picked = form.querySelector("input[name=choice]:checked");
  if (!picked) {
    say(t("chooseFirst"));
    return;
  }
  made = encryptBallot(context, [Number(picked.value)]);
  trackerOut.textContent = made.tracker;
  encrypted.hidden = false;
  say(t("encrypted"));
  document.getElementById("cast").focus();
});

document.getElementById("cast").addEventListener("click", async () => {
  try {
    const answer = await post("ballots", made.ballot);
    form.hidden = true;
    encrypted.querySelectorAll("button").forEach((b) => b.remove());
    const done = document.createElement("p");
    done.id = "cast-done";
    const [before, after] = t("castDone", { position: answer.position }).split("{board}");
    const link = document.createElement("a");
    link.href = `${board}?tracker=${made.tracker}`;
    link.textContent = texts.boardLink;
    done.append(before, link, after ?? "");
    root.append(done);
    say(t("cast"));
  } catch (error) {
    say(t("notCast", { reason: error.message }));
  }
});

document.getElementById("audit").addEventListener("click", async () => {
  try {
    const answer = await post("audits", made.reveal);
    encrypted.hidden = true;
    made = null;
    const choices = answer.choices.map((c) => texts.options[c] ?? c).join(", ");
    say(t("audited", { choices }));
    encryptButton.focus();
  } catch (error) {
    say(t("auditRefused", { reason: error.message }));
  }
});

start().catch((error) => say(t("cannotEncrypt", { reason: error.message })));
