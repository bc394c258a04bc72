// Offer text as a file download: a Blob and <a download>, made and clicked
// here, so nothing leaves the browser (the rekenhulp's and the planner's
// .ics and CSV files).

export function download(text, filename, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  // Not through Material's instant navigation (it listens on the document).
  link.addEventListener("click", (event) => event.stopPropagation());
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
