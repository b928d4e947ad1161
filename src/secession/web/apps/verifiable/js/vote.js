// The vote page of a verifiable ballot: fetch the election's public key material, check it
// (ballot.js verifies the trustees' proofs and recomputes the key), encrypt the chosen
// option here, show the tracker, then either cast the ballot or audit it (reveal it, never
// count it, and encrypt again). Served as a module beside ballot.js; no inline script.

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
let context = null;
let made = null;

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
  if (!response.ok) throw new Error(answer.detail || `the server answered ${response.status}`);
  return answer;
}

async function start() {
  say("Loading the election key…");
  await ready();
  const response = await fetch(`${api}/context`, { credentials: "same-origin" });
  const data = await response.json();
  if (!response.ok) throw new Error(data.detail || "the election key is not available");
  context = electionContext(data.manifest, data.trustees, data.key);
  document.getElementById("fingerprint").textContent =
    `Election key checked against the trustees' proofs (fingerprint ${context.fingerprint}).`;
  encryptButton.disabled = false;
  say("");
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const picked = form.querySelector("input[name=choice]:checked");
  if (!picked) {
    say("Choose an option first.");
    return;
  }
  made = encryptBallot(context, [Number(picked.value)]);
  trackerOut.textContent = made.tracker;
  encrypted.hidden = false;
  say("Your ballot is encrypted. Cast it, or audit it to check what was encrypted.");
  document.getElementById("cast").focus();
});

document.getElementById("cast").addEventListener("click", async () => {
  try {
    const answer = await post("ballots", made.ballot);
    form.hidden = true;
    encrypted.querySelectorAll("button").forEach((b) => b.remove());
    root.insertAdjacentHTML(
      "beforeend",
      `<p id="cast-done">Your ballot is cast (board entry ${answer.position}). Find it on ` +
        `<a href="${board}?tracker=${made.tracker}">the board</a> by its tracker.</p>`,
    );
    say("Your ballot is cast.");
  } catch (error) {
    say(`Not cast: ${error.message}`);
  }
});

document.getElementById("audit").addEventListener("click", async () => {
  try {
    const answer = await post("audits", made.reveal);
    encrypted.hidden = true;
    made = null;
    say(
      `Audited: that ballot encrypted “${answer.choices.join(", ")}”, as the board now shows ` +
        "to anyone. It will never be counted. Choose again and encrypt a new ballot.",
    );
    encryptButton.focus();
  } catch (error) {
    say(`Audit refused: ${error.message}`);
  }
});

start().catch((error) => say(`This page cannot encrypt a ballot: ${error.message}`));
