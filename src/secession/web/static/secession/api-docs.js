// /api/docs: the page's own <h1> names it; Swagger UI's title (an <h1> too, followed by its
// <h3> tags) is announced as a level-2 heading, so headings go 1, 2, 3 without a gap.
const docs = document.getElementById("swagger-ui");
const demote = () => {
  const title = docs.querySelector("h1.title");
  if (title && !title.hasAttribute("aria-level")) {
    title.setAttribute("role", "heading");
    title.setAttribute("aria-level", "2");
  }
};
new MutationObserver(demote).observe(docs, { childList: true, subtree: true });
