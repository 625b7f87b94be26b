// While a summary's PDF is being made, ask every few seconds whether it is ready and, when it is,
// offer the download link in place of the waiting message (a status region, so screen readers hear it).
const waiting = document.querySelector("[data-pdf-status-url]");

async function check(element) {
  const response = await fetch(element.dataset.pdfStatusUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) return false;
  const state = await response.json();
  if (state.ready) {
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = state.url;
    link.textContent = "Download the PDF";
    element.textContent = state.message + " ";
    element.appendChild(link);
    return true;
  }
  if (state.status === "failed") {
    element.textContent = state.message;
    return true;
  }
  return false;
}

if (waiting) {
  let tries = 0;
  const timer = setInterval(async () => {
    tries += 1;
    if ((await check(waiting)) || tries > 100) clearInterval(timer);
  }, 3000);
}
