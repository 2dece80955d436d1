// The inbox's figures: questions per day as stacked bars (answered, drafted, handed off), each with its numbers.
(function () {
  const svg = document.getElementById("figures-chart");
  if (!svg) return;
  const days = JSON.parse(document.getElementById("figures-data").textContent);
  if (!days.length) { svg.innerHTML = `<text x="300" y="80" text-anchor="middle" class="muted">${gettext("No questions yet")}</text>`; return; }
  const W = 600, H = 160, LEFT = 36, BOTTOM = 22, TOP = 8;
  const SERIES = [["answered", "#3b5bdb", gettext("answered")], ["drafted", "#e67700", gettext("drafted")], ["handed_off", "#c92a2a", gettext("handed off")]];
  const most = Math.max(...days.map((d) => d.questions), 1);
  const width = (W - LEFT) / days.length;
  const y = (v) => H - BOTTOM - (v / most) * (H - TOP - BOTTOM);
  const parts = [`<g class="axis"><line x1="${LEFT}" y1="${H - BOTTOM}" x2="${W}" y2="${H - BOTTOM}"/><line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${H - BOTTOM}"/>`,
    `<text x="${LEFT - 4}" y="${y(most) + 4}" text-anchor="end">${most}</text><text x="${LEFT - 4}" y="${H - BOTTOM}" text-anchor="end">0</text></g>`];
  days.forEach((day, i) => {
    let base = 0;
    const x = LEFT + i * width + width * 0.15;
    for (const [key, colour, said] of SERIES) {
      if (!day[key]) continue;
      const title = interpolate(gettext("%(day)s: %(count)s %(what)s of %(questions)s"), { day: day.day, count: day[key], what: said, questions: day.questions }, true);
      parts.push(`<rect x="${x}" y="${y(base + day[key])}" width="${width * 0.7}" height="${y(base) - y(base + day[key])}" fill="${colour}"><title>${title}</title></rect>`);
      base += day[key];
    }
    parts.push(`<text class="axis" x="${x + width * 0.35}" y="${H - 6}" text-anchor="middle" font-size="10">${day.day.slice(5)}</text>`);
  });
  svg.innerHTML = parts.join("");
})();
